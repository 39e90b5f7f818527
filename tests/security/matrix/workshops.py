"""The permission matrix's rows of `workshops` (filled as its views arrive)."""


def extend(matrix):
    pass
