"""The local offer's pages: a public list with search and filters, a page per service, and the business
unit's pages to add, change, withdraw and list again. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require

from . import selectors, services
from .forms import OfferFilterForm, RelistForm, ServiceForm, WithdrawForm
from .models import FamilyIssue

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
PER_PAGE = 20


@require_safe
def index(request):
    form = OfferFilterForm(request.GET or None, areas=selectors.areas())
    filters = selectors.OfferFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.OfferFilters(
            q=data["q"].strip(),
            issue=data["issue"],
            age=data["age"],
            area=data["area"],
            for_parents=data["for_parents"],
        )
    page = Paginator(selectors.listed_services(filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "localoffer/index.html",
        {
            "filters": form,
            "page_obj": page,
            "filtered": form.is_bound,
            "issue": FamilyIssue(filters.issue).label if filters.issue else "",
            "may_manage": can(request.user, "localoffer.manage_services"),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def service(request, pk: int):
    found = selectors.service_for(request.user, pk)
    return render(
        request,
        "localoffer/service.html",
        {"service": found, "may_manage": can(request.user, "localoffer.manage_services")},
    )


@require_safe
@login_required
def manage(request):
    require(request.user, "localoffer.manage_services")
    return render(request, "localoffer/manage.html", {"services": selectors.all_services()})


def _form_page(request, form, *, heading: str, button: str, caption: str = "", explanation: str = "", back: str):
    return render(
        request,
        "localoffer/form_page.html",
        {
            "form": form,
            "heading": heading,
            "button": button,
            "caption": caption,
            "explanation": explanation,
            "back": back,
        },
        status=400 if form.errors else 200,
    )


def _refused(form, refused: services.LocalOfferRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)


def _fields_of(form) -> tuple[dict, list[str]]:
    data = dict(form.cleaned_data)
    issues = data.pop("issues", []) or []
    return data, issues


@GET_POST
@login_required
def add(request):
    require(request.user, "localoffer.manage_services")
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, issues = _fields_of(form)
        try:
            made = services.add_service(data=data, issues=issues, by=request.user, request=request)
        except services.LocalOfferRefused as refused:
            _refused(form, refused)
        else:
            return redirect("localoffer:service", pk=made.pk)
    return _form_page(
        request, form, heading="Add a service to the local offer", button="Add the service", back="localoffer:manage"
    )


@GET_POST
@login_required
def change(request, pk: int):
    require(request.user, "localoffer.manage_services")
    found = selectors.service_for(request.user, pk)
    initial = {name: getattr(found, name) for name in services.FIELDS}
    initial["issues"] = [row.issue for row in found.issues.all()]
    form = ServiceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, issues = _fields_of(form)
        try:
            services.change_service(service=found, data=data, issues=issues, by=request.user, request=request)
        except services.LocalOfferRefused as refused:
            _refused(form, refused)
        else:
            return redirect("localoffer:service", pk=found.pk)
    return _form_page(
        request,
        form,
        heading="Change the service",
        button="Save the changes",
        caption=found.name,
        back="localoffer:manage",
    )


@GET_POST
@login_required
def withdraw(request, pk: int):
    require(request.user, "localoffer.manage_services")
    found = selectors.service_for(request.user, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_service(
                service=found, reason=form.cleaned_data["reason"], by=request.user, request=request
            )
        except services.LocalOfferRefused as refused:
            _refused(form, refused)
        else:
            return redirect("localoffer:manage")
    return _form_page(
        request,
        form,
        heading="Withdraw the service",
        button="Withdraw the service",
        caption=found.name,
        explanation="It leaves the local offer at once. You can list it again later; nothing is deleted.",
        back="localoffer:manage",
    )


@GET_POST
@login_required
def relist(request, pk: int):
    require(request.user, "localoffer.manage_services")
    found = selectors.service_for(request.user, pk)
    form = RelistForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relist_service(service=found, by=request.user, request=request)
        except services.LocalOfferRefused as refused:
            _refused(form, refused)
        else:
            return redirect("localoffer:service", pk=found.pk)
    return _form_page(
        request,
        form,
        heading="List the service again",
        button="List it again",
        caption=found.name,
        explanation=f"It was withdrawn because: {found.withdrawn_reason}" if found.withdrawn_reason else "",
        back="localoffer:manage",
    )
