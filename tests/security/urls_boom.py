"""The real URLconf plus one view that fails, for the error-page tests (test_errors.py)."""

from django.urls import path

from config import urls as real


class BoomError(RuntimeError):
    pass


def boom(request):
    raise BoomError("boom-detail: the database password is hunter2")


urlpatterns = [path("test-boom/", boom, name="boom"), *real.urlpatterns]

handler400 = real.handler400
handler403 = real.handler403
handler404 = real.handler404
handler500 = real.handler500
