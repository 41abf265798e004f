"""Matchers that let specs read like the domain: expect(issue).to(have_raised(IssueResolved))."""

from expects.matchers import Matcher


class have_raised(Matcher):
    """The issue (or unit of work) raised an event of this type, with these fields if given."""

    def __init__(self, event_type, **fields):
        self.event_type, self.fields = event_type, fields

    def _match(self, subject):
        events = subject.events if hasattr(subject, "events") else list(subject)
        for event in events:
            if isinstance(event, self.event_type) and all(
                getattr(event, name) == value for name, value in self.fields.items()
            ):
                return True, [f"it raised {[type(e).__name__ for e in events]}"]
        return False, [f"it raised {events!r}"]

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in self.fields.items())
        return f"have raised {self.event_type.__name__}({fields})"


class be_refused_with(Matcher):
    """A caught error is the domain error with this code."""

    def __init__(self, code):
        self.code = code

    def _match(self, error):
        return getattr(error, "code", None) == self.code, [f"the error was {error!r}"]

    def __repr__(self):
        return f"be refused with {self.code!r}"


def catch(action):
    """Run the action and return what it raised (or None), so `because_` can observe a refusal."""
    try:
        action()
    except Exception as error:
        return error
    return None
