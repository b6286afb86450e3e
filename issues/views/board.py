"""The board: one tab of the acting agency's issues, with counts, filters, sorting and keyset pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def board(request):
    return HttpResponse("board")  # placeholder: the board page is being built
