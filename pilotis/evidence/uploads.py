"""An upload handler that stops keeping a file past `EVIDENCE_MAX_BYTES`: the rest of an oversized
file is read off the connection and dropped, never written to memory or disk, and the view says
« Le fichier dépasse 10 Mo. »."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimit(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = settings.EVIDENCE_MAX_BYTES
        self.too_big = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
