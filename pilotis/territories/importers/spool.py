"""Pass 1's parsed lines, kept on disk for pass 2."""

import pickle  # noqa: S403 - only for the import's own spool, written and read by this process
import tempfile
from collections.abc import Iterator

from pilotis.territories.importers.rows import Line

# Lines pickled together: the spool holds at most this many in memory.
SPOOL_BATCH = 1000


class Spool:
    """Pass 1's parsed lines, pickled in batches to an anonymous temporary file, so that pass 2
    writes them without reading the CSV again (and never inside its transaction)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        self.batch: list[tuple[int, Line]] = []

    def add(self, line: int, parsed: Line) -> None:
        self.batch.append((line, parsed))
        if len(self.batch) >= SPOOL_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def __iter__(self) -> Iterator[tuple[int, Line]]:
        """(line number, Line) in the file's order."""
        self._flush()
        self.file.seek(0)
        while True:
            try:
                batch = pickle.load(self.file)  # noqa: S301 - this process's own spool
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        self.file.close()
