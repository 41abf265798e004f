"""The spec runner (the root conftest.py) does what contexts-style specs rely on.

Each test runs a small spec file in a fresh pytest session (pytester) with the project's own
conftest.py and collection settings, and checks what that session reported.
"""

import tomllib
from pathlib import Path

import pytest
from expects import contain, equal, expect

ROOT = Path(__file__).resolve().parent.parent
COLLECTION_SETTINGS = ("python_files", "python_classes", "python_functions")


@pytest.fixture
def specs(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester directory set up like the project: its conftest and collection settings."""
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    settings = {name: options["ini_options"][name] for name in COLLECTION_SETTINGS}
    pytester.makeini(
        "[pytest]\n" + "".join(f"{name} = {' '.join(v)}\n" for name, v in settings.items())
    )
    # The inner session must not pick up the project's Django settings from this session.
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    return pytester


def run(specs: pytest.Pytester) -> pytest.RunResult:
    """In this process, without pytest-django (this session has already set Django up)."""
    return specs.runpytest("-v", "-p", "no:django", "-p", "no:cacheprovider")


def outcomes(result: pytest.RunResult) -> dict:
    return {
        name: count
        for name, count in result.parseoutcomes().items()
        if name in ("passed", "failed", "errors", "skipped")
    }


def test_a_spec_whose_because_raises_fails_every_assertion_never_passing_silently(specs):
    specs.makepyfile(
        broken_specs="""
        class When_the_act_blows_up:
            def because_it_raises(self):
                raise ZeroDivisionError("the act failed")

            def it_would_pass_on_its_own(self):
                assert True

            def it_asserts_nothing(self):
                pass

            def nothing_should_pass_silently(self):
                pass
        """
    )
    result = run(specs)
    # The failure surfaces while setting each assertion up, so pytest counts it as an error.
    expect(outcomes(result)).to(equal({"errors": 3}))
    expect(result.stdout.str()).to(
        contain("the context could not be established: ZeroDivisionError: the act failed")
    )


def test_a_spec_whose_given_raises_fails_every_assertion_and_never_acts(specs):
    specs.makepyfile(
        broken_specs="""
        ACTED = []

        class With_a_broken_context:
            def given_something_impossible(self):
                raise LookupError("no such thing")

        class When_building_on_it(With_a_broken_context):
            def because_it_acts(self):
                ACTED.append(True)

            def it_should_one(self):
                assert True

            def it_should_two(self):
                assert True

        def test_the_act_never_ran():
            assert ACTED == []
        """
    )
    result = run(specs)
    expect(outcomes(result)).to(equal({"errors": 2, "passed": 1}))
    expect(result.stdout.str()).to(contain("LookupError: no such thing"))


def test_base_class_givens_run_before_the_subclass_s_and_because_runs_last(specs):
    specs.makepyfile(
        order_specs="""
        class With_a_base:
            def given_the_base(self):
                self.steps = ["base"]

        class With_a_middle(With_a_base):
            def given_the_middle(self):
                self.steps.append("middle")

        class When_acting(With_a_middle):
            def given_the_spec_itself(self):
                self.steps.append("spec")

            def because_it_acts(self):
                self.steps.append("because")

            def it_should_have_arranged_from_the_base_down_then_acted(self):
                assert self.steps == ["base", "middle", "spec", "because"]
        """
    )
    result = run(specs)
    expect(outcomes(result)).to(equal({"passed": 1}))


def test_because_runs_exactly_once_per_class(specs):
    specs.makepyfile(
        once_specs="""
        RUNS = []

        class With_a_shared_act:
            def because_it_acts(self):
                RUNS.append(type(self).__name__)

        class When_first(With_a_shared_act):
            def it_should_see_one_run(self):
                assert RUNS == ["When_first"]

            def it_should_still_see_one_run(self):
                assert RUNS == ["When_first"]

            def its_third_assertion_should_see_one_run_too(self):
                assert RUNS == ["When_first"]

        class When_second(With_a_shared_act):
            def it_should_act_again_for_its_own_class(self):
                assert RUNS == ["When_first", "When_second"]

        def test_each_class_acted_once():
            assert RUNS == ["When_first", "When_second"]
        """
    )
    result = run(specs)
    expect(outcomes(result)).to(equal({"passed": 5}))


def test_each_assertion_sees_the_state_the_context_established(specs):
    specs.makepyfile(
        state_specs="""
        class When_counting:
            def given_a_list(self):
                self.items = [1, 2]

            def because_one_is_added(self):
                self.items.append(3)
                self.total = sum(self.items)

            def it_should_see_the_list(self):
                assert self.items == [1, 2, 3]

            def it_should_see_the_total(self):
                assert self.total == 6

            def it_should_fail_on_its_own(self):
                assert self.total == 7
        """
    )
    result = run(specs)
    expect(outcomes(result)).to(equal({"passed": 2, "failed": 1}))


@pytest.mark.parametrize(
    "marker", ["django_db(transaction=True)", "django_db(True)"], ids=["keyword", "positional"]
)
def test_a_spec_class_marked_for_a_transactional_database_is_refused(specs, marker):
    specs.makepyfile(
        database_specs=f"""
        import pytest

        ACTED = []

        @pytest.mark.{marker}
        class When_it_wants_a_fresh_database_per_assertion:
            def because_it_acts(self):
                ACTED.append(True)

            def it_should_never_run(self):
                assert True
        """
    )
    # pytest-django only works in a process of its own: this session has set Django up.
    result = specs.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    expect(outcomes(result)).to(equal({"errors": 1}))
    expect(result.stdout.str()).to(
        contain(
            "When_it_wants_a_fresh_database_per_assertion: a spec class runs given/because "
            "once for all its assertions"
        )
    )
    expect(result.stdout.str()).to(contain("Use django_db without transaction=True"))
