"""Set-up by administrators: where each form goes (system admins) and the API's tokens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.models import Organisation
from apps.accounts.permissions import is_system_admin, require, roles_of

from .. import selectors, services
from ..forms import ApiTokenForm, ConfirmForm, RoutingRuleForm
from ..models import ApiToken, RoutingRule
from ..questions import DEFINITIONS

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@require_safe
@login_required
def routing_rules(request):
    require(request.user, "referrals.manage_routing")
    rules = list(selectors.routing_rules())
    unrouted = [
        d for d in DEFINITIONS.values() if not d.is_follow_up and not any(r.form_type == d.form_type for r in rules)
    ]
    # A team without an inbox address gets no e-mail when work reaches its queue: say so, team by team.
    silent = sorted({rule.team for rule in rules if not rule.team.inbox_email}, key=lambda team: team.name)
    return render(
        request, "referrals/routing_rules.html", {"rules": rules, "unrouted": unrouted, "teams_without_inbox": silent}
    )


def _rule_form(request, rule: RoutingRule | None):
    require(request.user, "referrals.manage_routing")
    initial = {}
    if rule is not None:
        answer = f"{rule.answer_key}={rule.answer_value}" if rule.answer_key else ""
        initial = {"form_type": rule.form_type, "answer": answer, "team": rule.team_id}
    form = RoutingRuleForm(
        request.POST if request.method == "POST" else None, initial=initial, teams=selectors.receiving_teams()
    )
    if request.method == "POST" and form.is_valid():
        key, value = form.answer_parts()
        try:
            services.save_routing_rule(
                form_type=form.cleaned_data["form_type"],
                answer_key=key,
                answer_value=value,
                team=form.cleaned_data["team"],
                rule=rule,
                by=request.user,
                request=request,
            )
        except services.TriageRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return redirect("referrals:routing_rules")
    return render(request, "referrals/routing_rule_form.html", {"form": form, "rule": rule})


@GET_POST
@login_required
def add_routing_rule(request):
    return _rule_form(request, None)


@GET_POST
@login_required
def edit_routing_rule(request, pk: int):
    require(request.user, "referrals.manage_routing")
    return _rule_form(request, get_object_or_404(RoutingRule, pk=pk))


@GET_POST
@login_required
def delete_routing_rule(request, pk: int):
    require(request.user, "referrals.manage_routing")
    rule = get_object_or_404(RoutingRule.objects.select_related("team"), pk=pk)
    form = ConfirmForm(request.POST or None, button="Delete rule", button_class="govuk-button--warning")
    if request.method == "POST":
        services.delete_routing_rule(rule=rule, by=request.user, request=request)
        return redirect("referrals:routing_rules")
    return render(request, "referrals/delete_routing_rule.html", {"rule": rule, "form": form})


def _organisations_for(user):
    if is_system_admin(user):
        return Organisation.objects.filter(is_active=True).order_by("name")
    return Organisation.objects.filter(pk__in=roles_of(user).admin_of_organisation_ids).order_by("name")


@never_cache
@require_safe
@login_required
def api_tokens(request):
    require(request.user, "referrals.manage_api_tokens")
    return render(request, "referrals/api_tokens.html", {"tokens": selectors.api_tokens_for(request.user)})


@never_cache
@GET_POST
@login_required
def issue_api_token(request):
    require(request.user, "referrals.manage_api_tokens")
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None, organisations=_organisations_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        require(request.user, "referrals.manage_api_tokens", form.cleaned_data["organisation"])
        token, secret = services.issue_api_token(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            contact_email=form.cleaned_data["contact_email"],
            by=request.user,
            request=request,
        )
        # Shown once, on this response, and never stored: only its hash is kept.
        return render(request, "referrals/api_token_issued.html", {"token": token, "secret": secret})
    return render(request, "referrals/api_token_form.html", {"form": form})


@GET_POST
@login_required
def revoke_api_token(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("organisation"), pk=pk)
    require(request.user, "referrals.manage_api_tokens", token.organisation)
    form = ConfirmForm(request.POST or None, button="Revoke token", button_class="govuk-button--warning")
    if request.method == "POST":
        services.revoke_api_token(token=token, by=request.user, request=request)
        return redirect("referrals:api_tokens")
    return render(request, "referrals/revoke_api_token.html", {"token": token, "form": form})
