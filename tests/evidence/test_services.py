"""The evidence's writes: a file or a link added, refused without a trace in the storage, removed
with its trace in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.assessments import services as assessment_services
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.evidence import files, services
from pilotis.evidence.models import Piece
from tests.evidence.conftest import PDF, PNG, upload


def test_a_file_is_stored_under_a_generated_name_then_its_row(world, answer, stored, evidence_root):
    before = stored()
    piece = services.add_file("answer", answer, upload("Compte rendu CA.pdf", PDF), by=world.rupn_a)
    assert piece.name == "Compte rendu CA.pdf"
    assert piece.school == world.school_a and piece.answer == answer and piece.target == "answer"
    assert piece.file_type == "pdf" and piece.content_type == "application/pdf" and piece.size == len(PDF)
    assert piece.stored_name.startswith(f"{world.school_a.uai}/") and piece.stored_name.endswith(".pdf")
    assert "Compte" not in piece.stored_name
    assert set(stored()) - set(before) == {piece.stored_name}
    assert (evidence_root / piece.stored_name).read_bytes() == PDF
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_ADDED)
    assert event.after["sha256"] == piece.sha256 and event.actor == world.rupn_a


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("programme.pdf", b"MZ" + b"\x00" * 100, "program"),
        ("page.png", b"<html><body>x</body></html>", "web"),
        ("vide.pdf", b"", "empty"),
        ("../../../etc/cron.exe", b"MZ" + b"\x00" * 10, "program"),
    ],
)
def test_a_refused_file_leaves_no_row_and_no_file_and_a_trace(world, answer, stored, name, content, reason):
    before = stored()
    with pytest.raises(files.Refused):
        services.add_file("answer", answer, upload(name, content), by=world.rupn_a)
    assert not Piece.objects.exists()
    assert stored() == before
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_REFUSED)
    assert event.after["reason"] == reason and "/" not in event.after["name"]


def test_a_failure_after_the_file_is_written_deletes_it(world, answer, stored, monkeypatch):
    before = stored()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Piece.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    assert stored() == before
    assert not Piece.objects.exists()


def test_the_school_quota(world, answer, stored, settings):
    settings.EVIDENCE_SCHOOL_QUOTA_BYTES = len(PDF) + len(PNG) - 1
    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    before = stored()
    with pytest.raises(files.Refused) as caught:
        services.add_file("answer", answer, upload("b.png", PNG), by=world.rupn_a)
    assert caught.value.reason == "quota"
    assert caught.value.messages[0].startswith("L'établissement a atteint l'espace réservé à ses pièces justificatives")
    assert stored() == before and Piece.objects.count() == 1
    # A removed piece no longer counts.
    services.remove_piece(Piece.objects.get(), by=world.rupn_a)
    services.add_file("answer", answer, upload("b.png", PNG), by=world.rupn_a)


def test_the_quota_is_checked_again_under_the_lock(world, answer, stored, settings, monkeypatch):
    """Between the first look and the row, another upload filled the quota: the file goes."""
    settings.EVIDENCE_SCHOOL_QUOTA_BYTES = len(PDF)
    calls = []
    real = services._quota_refusal

    def second_time_full(school, size):
        calls.append(size)
        if len(calls) == 2:
            return files.Refused("plein", reason="quota")
        return real(school, size)

    monkeypatch.setattr(services, "_quota_refusal", second_time_full)
    before = stored()
    with pytest.raises(files.Refused):
        services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    assert stored() == before and not Piece.objects.exists()


def test_removal_keeps_the_row_and_deletes_the_file(world, answer, stored, django_capture_on_commit_callbacks):
    piece = services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    with django_capture_on_commit_callbacks(execute=True):
        removed = services.remove_piece(piece, by=world.chef_a)
    assert removed.removed_at is not None and removed.removed_by == world.chef_a
    assert removed.removed_by_label == (world.chef_a.get_full_name() or world.chef_a.username)
    assert piece.stored_name not in stored()
    assert Piece.objects.filter(pk=piece.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.EVIDENCE_REMOVED, object_id=str(piece.pk)).exists()
    with pytest.raises(ValidationError):
        services.remove_piece(piece, by=world.chef_a)


def test_deleting_the_target_deletes_the_files(world, action, stored, django_capture_on_commit_callbacks):
    piece = services.add_file("action", action, upload("a.pdf", PDF), by=world.rupn_a)
    with django_capture_on_commit_callbacks(execute=True):
        action.delete()
    assert not Piece.objects.exists()
    assert piece.stored_name not in stored()


def test_links_http_and_https_only(world, answer):
    piece = services.add_link("answer", answer, url="https://ent.example.org/page", title="", by=world.rupn_a)
    assert piece.kind == "link" and piece.name == "https://ent.example.org/page"
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>",
        "file:///etc/passwd",
        "ftp://x",
    ):
        with pytest.raises(ValidationError) as caught:
            services.add_link("answer", answer, url=bad, title="t", by=world.rupn_a)
        assert "Seuls les liens web" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.add_link("answer", answer, url="https://x.example.org/\x00", title="t", by=world.rupn_a)
    assert Piece.objects.count() == 1


def test_only_who_fills_in_attaches_to_an_answer(world, answer):
    for user in (world.member_a, world.correspondant_40, world.rupn_b):
        with pytest.raises(PermissionDenied):
            services.add_file("answer", answer, upload("a.pdf", PDF), by=user)
    assert not Piece.objects.exists()


def test_a_validated_assessment_freezes_its_pieces(world, answer):
    piece = services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    assessment_services.validate_assessment(answer.assessment, by=world.chef_a)
    answer.assessment.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.add_file("answer", answer, upload("b.pdf", PDF), by=world.rupn_a)
    assert caught.value.messages[0].startswith("Cet autodiagnostic est validé")
    with pytest.raises(ValidationError):
        services.remove_piece(Piece.objects.get(pk=piece.pk), by=world.chef_a)
    assert Piece.objects.live().count() == 1


def test_the_person_data_and_anonymisation(world, answer):
    from pilotis.core.personal_data import anonymise, gather

    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    sections = {s["titre"]: s["lignes"] for s in gather(world.rupn_a)["sections"]}
    assert sections["Pièces justificatives ajoutées ou retirées"][0]["pièce"] == "a.pdf"
    anonymise(world.rupn_a)
    assert Piece.objects.get().added_by_label == "Compte anonymisé"
