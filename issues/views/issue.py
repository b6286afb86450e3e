from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def detail(request, pk):
    raise Http404


@login_required
def act(request, pk, action):
    raise Http404


@login_required
def attachment(request, pk, attachment_pk):
    raise Http404
