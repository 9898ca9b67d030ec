"""One workflow mechanism: a state machine is a declaration.

A ``Workflow`` lists its ``Transition``s: the action, the states it leaves from, the state it goes
to, who may take it (a permission plus an object rule such as "the responsible department"), the
inputs it needs (a small form: a reason for returns, losses and rejections), and what it changes
(``apply``). From that one declaration come:

- ``allowed(user, obj)``: the buttons on the detail page and ``allowed_actions`` in the API;
- ``perform(obj, action, by=..., **inputs)``: the one write, used by the services (and so by the
  page, the API, the admin, the demo and commands): it locks the row, checks the actor (403,
  ``NotAllowed``), the state (400, ``Refused``) and the inputs, applies the change and writes one
  event row (who, when, from, to, comment) on the object's timeline;
- ``WorkflowActionView`` (apps.core.views): one page view for every action;
- ``WorkflowActionsMixin`` (apps.core.api): one API action per transition.

Adding a workflow: see README, "Adding a list, a workflow, a write".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import figures
from apps.core.errors import NotAllowed, Refused

ActorRule = Callable[[Any, Any], str | None]


class TransitionForm(forms.Form):
    """The inputs of one transition. Built with the object it acts on (``obj``) so that a
    choice can depend on it (an assignee from the demand's department)."""

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)


class ReasonForm(TransitionForm):
    """A transition that needs only a reason (returns, losses, rejections)."""

    reason = forms.CharField(
        label=gettext_lazy("原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("请说明原因")},
    )


class CommentForm(TransitionForm):
    comment = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    # The states it may leave from; empty: any state.
    sources: tuple[str, ...] = ()
    # The state it goes to: a state, a function (obj, inputs) -> state, or None (unchanged).
    target: str | Callable[[Any, dict], str] | None = None
    # The permission the actor needs ("app.codename"); a superuser has every one.
    permission: str | None = None
    # Why this actor may not act on this object (None: they may). Answered 403.
    actor_rule: ActorRule | None = None
    # The inputs (a TransitionForm); None: no inputs.
    form: type[TransitionForm] | None = None
    # apply(obj, *, by, **inputs) -> dict of event fields (comment, action, …) or None. It
    # changes the object's other fields and raises Refused for bad input.
    apply: Callable[..., dict | None] | None = None
    # The refusal when the state does not allow it (default: a generic sentence).
    state_message: str | None = None
    # The refusal when the actor lacks the permission (default: a generic sentence).
    denied_message: str | None = None
    # Called after the transaction commits: notify(obj, by, event).
    notify: Callable | None = None
    # Called inside the transaction once the object and its event are saved: after(obj, by,
    # event). For what must change with the transition or not at all (a derived summary).
    after: Callable | None = None
    button_class: str = "btn-outline-primary"

    @property
    def url_path(self) -> str:
        return self.action.replace("_", "-")

    def target_for(self, obj, inputs: dict) -> str | None:
        return self.target(obj, inputs) if callable(self.target) else self.target


@dataclass
class Workflow:
    model: type[models.Model]
    # The event model: a concrete WorkflowEvent with a foreign key `event_fk` to the model.
    event_model: type[models.Model]
    event_fk: str
    transitions: list[Transition] = field(default_factory=list)
    state_field: str = "status"

    def __post_init__(self):
        self._by_action = {t.action: t for t in self.transitions}

    # --- reading -------------------------------------------------------------------------

    def transition(self, action: str) -> Transition | None:
        return self._by_action.get(action)

    def state_label(self, obj) -> str:
        return getattr(obj, f"get_{self.state_field}_display")()

    def actor_refusal(self, user, obj, transition: Transition) -> str | None:
        if transition.permission and not user.has_perm(transition.permission):
            return transition.denied_message or _("您没有“%(action)s”的权限") % {
                "action": transition.label
            }
        if transition.actor_rule is not None:
            return transition.actor_rule(user, obj)
        return None

    def state_refusal(self, obj, transition: Transition) -> str | None:
        if not self.leaves_from(obj, transition):
            if transition.state_message:
                return transition.state_message
            return _("当前状态为“%(state)s”，不能%(action)s") % {
                "state": self.state_label(obj),
                "action": transition.label,
            }
        return None

    def leaves_from(self, obj, transition: Transition) -> bool:
        """Whether the object's state allows the transition (state_refusal's test, without
        writing its message: a list asks it of every row and transition)."""
        return not transition.sources or getattr(obj, self.state_field) in transition.sources

    def allowed(self, user, obj) -> list[Transition]:
        """The transitions this user may take on this object now (the buttons)."""
        return [
            t
            for t in self.transitions
            if self.leaves_from(obj, t) and self.actor_refusal(user, obj, t) is None
        ]

    def allowed_actions(self, user, obj) -> list[str]:
        return [t.action for t in self.allowed(user, obj)]

    def check(self, user, obj, action: str) -> Transition:
        """Raise NotAllowed (403) when the actor may not, Refused (400) when the state does not
        allow it; return the transition otherwise. The actor is checked first, so a refusal
        has the same status whatever the state."""
        transition = self.transition(action)
        if transition is None:
            raise Refused(_("未知的操作：%(action)s") % {"action": action})
        reason = self.actor_refusal(user, obj, transition) if user is not None else None
        if reason:
            raise NotAllowed(reason)
        reason = self.state_refusal(obj, transition)
        if reason:
            raise Refused(reason)
        return transition

    def form_for(self, transition: Transition, data=None, *, obj, prefix: str | None = None):
        if transition.form is None:
            return None
        return transition.form(data, obj=obj, prefix=prefix)

    # --- writing -------------------------------------------------------------------------

    def lock(self, obj):
        manager = self.model._base_manager
        return manager.select_for_update(of=("self",)).get(pk=obj.pk)

    @transaction.atomic
    def perform(self, obj, action: str, *, by, at=None, **inputs):
        """Take the transition: lock the row (two people acting at once cannot both win: the
        second sees the state the first left), check, apply, write the event.

        ``by=None`` is the system (demo data, commands, scheduled tasks): no actor rule
        applies, and the event names nobody. Only a workflow whose event model lets ``by`` be
        empty accepts it; pages and the API always pass the signed-in user."""
        try:
            locked = self.lock(obj)
        except self.model.DoesNotExist as missing:
            raise Refused(_("该记录已不存在")) from missing
        transition = self.check(by, locked, action)
        before = getattr(locked, self.state_field)
        # The target is read from the record as it stood: apply may clear what it depends on
        # (a project's resume_to; resuming one halted before it started answered 500).
        target = transition.target_for(locked, inputs)
        event_fields = {}
        if transition.apply is not None:
            event_fields = transition.apply(locked, by=by, **inputs) or {}
        if target is not None:
            setattr(locked, self.state_field, target)
        if by is not None:
            locked._history_user = by
        locked.save()
        event = self.event_model.objects.create(
            **{self.event_fk: locked},
            action=event_fields.pop("action", transition.action),
            from_status=before,
            to_status=getattr(locked, self.state_field),
            by=by,
            at=at or timezone.now(),
            comment=event_fields.pop("comment", ""),
            **event_fields,
        )
        if transition.after is not None:
            transition.after(locked, by, event)
        # Any transition may change a dashboard figure of its app's area (closed demands,
        # loans, ...); the other areas' cached figures stay (a model registered with
        # figures.invalidate_on_write also names, by its signal, the other areas it changes).
        figures.invalidate(locked._meta.app_label)
        if transition.notify is not None and getattr(settings, "WORKFLOW_NOTIFY", True):
            transaction.on_commit(lambda: transition.notify(locked, by, event))
        return locked

    def events(self, obj) -> Iterable:
        return self.event_model.objects.filter(**{self.event_fk: obj}).select_related("by")
