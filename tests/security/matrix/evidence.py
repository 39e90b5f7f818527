"""The permission matrix's rows of `evidence`: adding and removing a piece of an answer of school A
(who fills in the self-assessment: its direction and RUPN), and downloading it (whoever reads
school A). The rights per kind of target (fiches shared or not, workshops) are in tests/evidence."""

from django.core.files.uploadedfile import SimpleUploadedFile

from pilotis.assessments.models import Answer
from pilotis.evidence import services
from pilotis.evidence.models import Piece

PDF = b"%PDF-1.4\n%%EOF\n"


def _answer(matrix, w):
    matrix.assessment_of_a(w)
    return Answer.objects.get(assessment__school=w.school_a, indicator__code="PIL.1.01")


def _piece(matrix, w):
    answer = _answer(matrix, w)
    return services.add_file("answer", answer, SimpleUploadedFile("preuve.pdf", PDF), by=w.rupn_a)


def snapshot():
    return (sorted(Piece.objects.values_list("pk", "name", "removed_at")),)


def extend(matrix):
    statuses, readers, writers = matrix.statuses, matrix.SCHOOL_A_READERS, matrix.FILLERS_A
    members = {"chef_a", "adjoint_a", "rupn_a", "member_a"}

    def school_with_answer(w):
        _answer(matrix, w)
        return [w.school_a.uai]

    def add_data(w):
        answer = Answer.objects.get(assessment__school=w.school_a, indicator__code="PIL.1.01")
        return {
            "kind": "link",
            "target": "answer",
            "target_id": answer.pk,
            "url": "https://ent.example.org/",
            "title": "ENT",
        }

    matrix.MATRIX.update(
        {
            # A member who does not fill in is refused by the target's rule (403); the territory,
            # who is no member of the school, by the page's guard (403 too: it reads the school).
            "evidence:add": ("post", school_with_answer, add_data, statuses(404, s302=writers, s403=readers - writers)),
            "evidence:remove": (
                "post",
                lambda w: [w.school_a.uai, _piece(matrix, w).pk],
                None,
                statuses(404, s302=writers, s403=readers - writers),
            ),
            "evidence:list": ("get", matrix.school_a, None, statuses(404, s200=members, s403=readers - members)),
            "pieces:download": ("get", lambda w: [_piece(matrix, w).pk], None, statuses(404, s200=readers)),
        }
    )
    matrix.GUARDS.update(
        {
            "evidence:list": ("piece:list",),
            "evidence:add": ("piece:add",),
            "evidence:remove": ("piece:remove",),
            "pieces:download": ("piece:read",),
        }
    )
    matrix.SNAPSHOTS.extend([snapshot])
    assert members <= readers
