from pilotis.news import services


def news_input(w, **overrides):
    values = {
        "title": "LINE 40 — décembre",
        "body": "Bonjour,\n\n- les **rencontres** du numérique\n- [Tic'Edu](https://example.org/ticedu)",
        "link": "https://example.org/line40",
        "academy_id": w.bordeaux.pk,
        "department_id": w.landes.pk,
        "school_kind": "",
    }
    values.update(overrides)
    return services.NewsInput(**values)


def draft(w, by=None, **overrides):
    return services.save_draft(news_input(w, **overrides), by=by or w.correspondant_40)


def published(w, by=None, **overrides):
    return services.publish(draft(w, by=by, **overrides), by=by or w.correspondant_40)
