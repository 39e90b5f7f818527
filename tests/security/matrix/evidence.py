"""The permission matrix's rows of `evidence` (filled as its views arrive)."""


def extend(matrix):
    pass
