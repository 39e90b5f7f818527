"""The permission matrix's rows of this app: `extend(matrix)` adds them (the matrix module is given,
with its helpers: `matrix.statuses`, `matrix.school_a`, `matrix.SCHOOL_A_READERS`…)."""


def extend(matrix):
    matrix.MATRIX.update({})
    matrix.GUARDS.update({})
    matrix.SNAPSHOTS.extend([])
