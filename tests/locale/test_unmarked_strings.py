"""No user-visible text of the package escapes translation."""

from __future__ import annotations

import pytest

from tests.locale.catalogues import PACKAGE
from tests.locale.unmarked import package_findings, python_text, template_text


def test_the_package_shows_no_unmarked_text() -> None:
    findings = package_findings(PACKAGE)
    assert not findings, "mark these for translation (docs/translating.md):\n" + "\n".join(
        f"{path}: {texts}" for path, texts in findings.items()
    )


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("<h2>Views per day</h2>", ["Views", "per", "day"]),
        ('<a title="Every row">{% translate "CSV" %}</a>', ["Every", "row"]),
        ('<input type="submit" value="Apply">', ["Apply"]),
        ('<nav aria-label="Pages">{{ x }}</nav>', ["Pages"]),
        ("{% if a %}sorted{% endif %}", ["sorted"]),
        # What is translated, code, comments and machine values are not text to translate.
        ('<h2>{% translate "Views per day" %}</h2>', []),
        ("{% blocktranslate %}all {{ n }} days{% endblocktranslate %}", []),
        ('<input type="hidden" name="period" value="custom">', []),
        ("{% comment %}Explains the layout.{% endcomment %}{# and this #}", []),
        ("{% block bodyclass %}{{ block.super }} admin-hits-page{% endblock %}", []),
        ('<a class="admin-hits-csv" href="{{ url }}">CSV</a> &rsaquo; 12', []),
        ("<style>td.num { text-align: end; }</style><p>Shown</p>", ["Shown"]),
    ],
)
def test_template_text(template: str, words: list[str]) -> None:
    assert template_text(template) == words


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('tables.Column(verbose_name="views")', ["1: 'views'"]),
        ('models.DateField("date")', ["1: 'date'"]),
        ('@admin.display(description=f"views {n}")\ndef f(): pass', ["1: f'views {n}'"]),
        ("class F:\n    title = 'matched'", ["2: 'matched'"]),
        ("messages.warning(request, 'The store is down')", ["1: 'The store is down'"]),
        ("raise forms.ValidationError('Too long')", ["1: 'Too long'"]),
        ('tables.Column(verbose_name=_("views"))', []),
        ('models.DateField(_("date"))', []),
        ("class F:\n    title = _('matched')\n    parameter_name = 'matched'", []),
        ('models.CharField(max_length=32, db_column="path_hash")', []),
        ('logger.warning("the store is down")', []),
        ('parser = argparse.ArgumentParser(description="Count views")', []),
    ],
)
def test_python_text(source: str, found: list[str]) -> None:
    assert python_text(source) == found
