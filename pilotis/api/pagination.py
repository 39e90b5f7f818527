"""Every list is paginated: `page` and `page_size`. A page size above `MAX_PAGE_SIZE` is capped
(said in the schema); one that is not a positive integer is a 400."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pages(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Nombre de lignes par page (par défaut {PAGE_SIZE}, au plus {MAX_PAGE_SIZE} : au-delà, {MAX_PAGE_SIZE})."
    )
    max_page_size = MAX_PAGE_SIZE
    page_query_description = "Numéro de la page, à partir de 1."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
            raise ValidationError({"page_size": [_("Un entier positif est attendu.")]})
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and (not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1):
            raise ValidationError({"page": [_("Un entier positif est attendu.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response
