from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def new_issue(request):
    return HttpResponse("new")
