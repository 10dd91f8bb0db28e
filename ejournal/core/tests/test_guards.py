"""Guards over the whole test run; conftest.py runs them after every other test.

Every page a test fetched has exactly one <h1> and no inline script, style, event handler
or `javascript:` URL (the Content-Security-Policy would block them), and every template
under ejournal/templates/ was rendered by some test: in a whole-suite run all of them, in a
partial run those of the apps whose tests all ran (a template of templates/schools/ when
ejournal/schools/tests ran).
"""

from django.urls import reverse

from ejournal.core.testing import guards


def test_every_page_fetched_in_this_run_has_exactly_one_h1(school, client_for):
    # One page of its own, so that the guard has something to check even when run alone.
    client_for(school).get(reverse("accounts:login"))

    assert guards.RECORD.pages_checked > 0
    assert guards.RECORD.bad_headings == [], "pages (path, number of <h1>) without one <h1>"


def test_no_html_fetched_in_this_run_has_code_the_policy_would_block(school, client_for):
    client_for(school).get(reverse("accounts:login"))

    assert guards.RECORD.inline_code == [], "(path, inline code) in pages the tests fetched"


def test_every_template_is_rendered_by_some_test():
    required = guards.required_templates()
    missing = [name for name in required if name not in guards.RECORD.rendered]

    apps = guards.RECORD.complete_apps
    assert missing == [], f"templates that no test rendered (apps whose tests all ran: {apps})"


def test_the_guards_know_every_template_of_the_project():
    names = guards.project_templates()

    assert "base.html" in names
    assert "schools/class_list.html" in names
    assert "invitations/reissue_button.html" in names
