"""Warning models (预警模型) built in a form: the acting agency's models by scenario, the form of
a template's parameters, a backtest of every saved version before it is switched on, the
versions compared and switched back, and "run now" with its progress. Members of the owning
agency only: to anyone else a model does not exist (404). Every change goes through
``search.detection.actions``, which writes the search log.

A backtest runs inline, in the request: it is the one set-based query a run executes, written
nowhere, and its sample has to be shown to the author, which a worker could only hand back
through storage made for it. A run writes warnings and can take long: it goes to Celery, and its
page follows the run's row.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..detection import actions, patterns, tasks, versions
from ..detection.model_forms import ModelForm, parameters_form
from ..detection.models import OPEN_STATES, DetectionRun, RunMode, RunState, WarningModel, WarningModelVersion
from ..detection.permissions import access_model, models_of
from ..investigate import permissions
from . import jobs
from .model_display import run_label, shown_changes, shown_sample

RUNS_SHOWN = 30


def _reader(request) -> permissions.Reader:
    reader = permissions.reader_for(request)
    if reader is None:
        raise Http404
    return reader


def _not_backtest():
    return ~Q(mode=RunMode.BACKTEST)


@login_required
@require_GET
def model_list(request):
    reader = _reader(request)
    last_run = DetectionRun.objects.filter(_not_backtest(), version__model=OuterRef("pk")).order_by(
        "-started_at", "-id").values("pk")[:1]
    latest = WarningModelVersion.objects.filter(model=OuterRef("pk")).order_by("-number")
    models = list(models_of(reader).annotate(
        last_run_id=Subquery(last_run), latest_template=Subquery(latest.values("template")[:1]),
    ).order_by("scenario__code", "name"))
    runs = DetectionRun.objects.in_bulk([model.last_run_id for model in models if model.last_run_id])
    scenarios: dict = {}
    for model in models:
        model.last_run = runs.get(model.last_run_id)
        model.template_label = patterns.label(
            model.active_version.template if model.active_version else model.latest_template)
        scenarios.setdefault(model.scenario, []).append(model)
    return render(request, "search/models/list.html", {"scenarios": scenarios, "agency": reader.agency})


def _chosen_template(name) -> patterns.Pattern | None:
    return patterns.TEMPLATES.get(name) if isinstance(name, str) else None


@login_required
@require_http_methods(["GET", "POST"])
def model_new(request):
    """Step one picks a template (``?template=``); step two is its form with the model's own fields."""
    reader = _reader(request)
    source = request.POST if request.method == "POST" else request.GET
    pattern = _chosen_template(source.get("template"))
    if pattern is None:
        if source.get("template"):
            messages.error(request, _("There is no such template; choose one of these."))
        return render(request, "search/models/templates.html", {"templates": patterns.TEMPLATES.values()})
    if request.method == "GET":
        # A screening list's page offers "new model" on it: the list is chosen already.
        chosen_list = {"screening_list": source["list"]} if isinstance(source.get("list"), str) else None
        form, params = ModelForm(), parameters_form(pattern.name, reader.agency, initial=chosen_list)
    else:
        form = ModelForm(request.POST)
        params = parameters_form(pattern.name, reader.agency, data=request.POST)
        if form.is_valid() and params.is_valid():
            data = form.cleaned_data
            try:
                version = actions.create_model(
                    acting_user=request.user, key=data["key"], name=data["name"], scenario=data["scenario"],
                    agency=reader.agency, template=pattern.name, parameters=params.parameters(),
                    severity=data["severity"], note=data["note"],
                )
            except actions.VersionRefused as refused:
                params.add_error(None, str(refused))
            except actions.DetectionError as error:
                form.add_error("key", str(error))
            else:
                messages.success(request, _("Saved as version 1; backtest it before switching it on."))
                return redirect("search:model_version", version.model_id, version.number)
    return _build_page(request, form, params, pattern, model=None)


@login_required
@require_http_methods(["GET", "POST"])
def model_edit(request, pk):
    """A new version of the model, starting from the version asked for (else the latest)."""
    reader = _reader(request)
    model = access_model(reader, pk)
    base = _version_or_latest(model, request.GET.get("version"))
    source = request.POST if request.method == "POST" else request.GET
    pattern = _chosen_template(source.get("template") or (base.template if base else ""))
    if pattern is None:
        messages.error(request, _("There is no such template; choose one of these."))
        return redirect("search:model", model.pk)
    if request.method == "GET":
        same = base is not None and base.template == pattern.name
        form = ModelForm(model=model, initial={"severity": base.severity if base else model.severity})
        params = parameters_form(pattern.name, reader.agency, initial=base.parameters if same else None)
    else:
        form = ModelForm(request.POST, model=model)
        params = parameters_form(pattern.name, reader.agency, data=request.POST)
        if form.is_valid() and params.is_valid():
            try:
                version = actions.save_version(
                    acting_user=request.user, model=model, template=pattern.name,
                    parameters=params.parameters(), severity=form.cleaned_data["severity"],
                    note=form.cleaned_data["note"],
                )
            except actions.DetectionError as error:
                params.add_error(None, str(error))
            else:
                saved = _("Saved as version %(number)d; backtest it before switching it on.")
                messages.success(request, saved % {"number": version.number})
                return redirect("search:model_version", model.pk, version.number)
    return _build_page(request, form, params, pattern, model=model)


def _version_or_latest(model: WarningModel, number):
    versions_of = model.versions.all()
    try:
        chosen = versions_of.filter(number=int(number)).first() if number else None
    except (TypeError, ValueError):
        chosen = None
    return chosen or versions_of.order_by("-number").first()


def _build_page(request, form, params, pattern, *, model):
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "params": params, "pattern": pattern, "model": model,
               "templates": patterns.TEMPLATES.values()}
    return render(request, "search/models/build.html", context, status=status)


def _version(model: WarningModel, number):
    version = model.versions.filter(number=number).select_related("author").first()
    if version is None:
        raise Http404
    return version


@login_required
@require_http_methods(["GET", "POST"])
def model_version(request, pk, number):
    """A saved version and its backtest: POST runs one (inline, see the module's docstring) and
    shows what it would raise; GET shows the last one on record and the button."""
    reader = _reader(request)
    model = access_model(reader, pk)
    version = _version(model, number)
    context = {"model": model, "version": version, "preview": None, "sample": []}
    if request.method == "POST":
        try:
            preview = actions.backtest(acting_user=request.user, version=version)
        except actions.DetectionError as error:
            messages.error(request, str(error))
            return redirect("search:model_version", model.pk, version.number)
        context.update(preview=preview, sample=shown_sample(reader, version, preview.sample))
    context["backtested"] = version.runs.filter(mode=RunMode.BACKTEST, state=RunState.DONE).order_by(
        "-started_at", "-id").first()
    nothing = _empty_like(version)
    context["parameters"] = shown_changes(nothing, version, versions.compare(nothing, version))
    return render(request, "search/models/version.html", context)


def _empty_like(version):
    """A version of nothing (never saved), to list a version's template, severity and parameters
    as its changes from nothing."""
    return type(version)(model=version.model, number=0, template="", parameters={}, severity="")


@login_required
@require_GET
def model_detail(request, pk):
    reader = _reader(request)
    model = access_model(reader, pk)
    model_versions = list(
        model.versions.select_related("author").annotate(
            backtests=Count("runs", filter=Q(runs__mode=RunMode.BACKTEST, runs__state=RunState.DONE))
        ).order_by("-number")
    )
    runs = (DetectionRun.objects.filter(_not_backtest(), version__model=model)
            .select_related("version", "started_by").order_by("-started_at", "-id")[:RUNS_SHOWN])
    counts = model.warnings.aggregate(total=Count("pk"), open=Count("pk", filter=Q(state__in=OPEN_STATES)))
    context = {"model": model, "versions": model_versions, "runs": runs, "counts": counts,
               **_run_panel(model, request.GET.get("queued"))}
    return render(request, "search/models/model.html", context)


def _queued_at(value) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _started_since(model: WarningModel, since: datetime.datetime) -> DetectionRun | None:
    return (DetectionRun.objects.filter(_not_backtest(), version__model=model, started_at__gte=since)
            .order_by("started_at", "id").first())


def _run_panel(model: WarningModel, queued) -> dict:
    """The panel of the run queued at ``queued`` (the "run now" button's redirect says when)."""
    since = _queued_at(queued)
    if since is None:
        return {"queued_run": None}
    run = _started_since(model, since)
    state = run.state if run else "queued"
    status_url = reverse("search:model_run_status", args=[model.pk])
    status_url += "?" + urlencode({"since": since.isoformat()})
    percent = jobs.percent(state, run.done if run else 0, run.total if run else None)
    return {"queued_run": {"run": run, "state": state, "label": run_label(run), "status_url": status_url,
                           "percent": percent}}


@login_required
@require_GET
def model_run_status(request, pk):
    reader = _reader(request)
    model = access_model(reader, pk)
    since = _queued_at(request.GET.get("since"))
    if since is None:
        raise Http404
    run = _started_since(model, since)
    if run is None:
        return jobs.status("queued", 0, None, run_label(None))
    return jobs.status(run.state, run.done, run.total, run_label(run))


@login_required
@require_POST
def model_run(request, pk):
    """Run now: the version switched on, over all the records, in the background."""
    reader = _reader(request)
    model = access_model(reader, pk)
    if not model.is_active or model.active_version_id is None:
        messages.error(request, _("Switch a version of the model on before running it."))
        return redirect("search:model", model.pk)
    if model.running_since is not None and model.running_since > timezone.now() - actions.STALE_LOCK:
        messages.error(request, _("The model is running already; try again once that run has finished."))
        return redirect("search:model", model.pk)
    queued = timezone.now()
    tasks.run_model.delay(model.pk, True, None, request.user.pk)
    page = reverse("search:model", args=[model.pk])
    return redirect(f"{page}?{urlencode({'queued': queued.isoformat()})}#model-run")


@login_required
@require_POST
def model_switch(request, pk, action):
    """Switch a backtested version on (``on``, its number posted), back to the one before, or off."""
    reader = _reader(request)
    model = access_model(reader, pk)
    try:
        if action == "on":
            version = _version(model, _posted_number(request))
            actions.switch_on(acting_user=request.user, version=version)
            messages.success(request, _("Version %(number)d is switched on.") % {"number": version.number})
        elif action == "back":
            model = actions.switch_back(acting_user=request.user, model=model)
            messages.success(request, _("Switched back to version %(number)d.")
                             % {"number": model.active_version.number})
        elif action == "off":
            actions.switch_off(acting_user=request.user, model=model)
            messages.success(request, _("The model is switched off until a version is switched on."))
        else:
            raise Http404
    except actions.DetectionError as error:
        messages.error(request, str(error))
    return redirect("search:model", model.pk)


def _posted_number(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def model_compare(request, pk):
    reader = _reader(request)
    model = access_model(reader, pk)
    numbers = list(model.versions.order_by("number").values_list("number", flat=True))
    try:
        first, second = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        first, second = (numbers[-2], numbers[-1]) if len(numbers) > 1 else (numbers[0], numbers[0])
    before, after = _version(model, min(first, second)), _version(model, max(first, second))
    changes = shown_changes(before, after, versions.compare(before, after))
    context = {"model": model, "before": before, "after": after, "changes": changes, "numbers": numbers}
    return render(request, "search/models/compare.html", context)
