"""The guides' prose says what their examples print.

pytest runs every ``>>>`` example of docs/chapter4.md and docs/chapter4.ko.md, so the printed
numbers are the code's. The sentences around them are not run; this file reads them. Each
claim below is a number the text states (found by a pattern in each language), and the value
the code gives, computed here. The text's number must be the code's, rounded to as many digits
as the text shows. It also checks that statements found wrong are gone, that each section runs
with only what it says it takes from earlier ones, and that the contents links and the glossary
are whole.
"""

from __future__ import annotations

import doctest
import math
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from purenet.gradient import function_2, gradient_descent, numerical_gradient
from purenet.optimizer import SGD
from purenet.simple_net import BOOK_T, BOOK_W, BOOK_X, SimpleNet
from purenet.train import Hyperparameters, train
from purenet.two_layer_net import TwoLayerNet

DOCS = Path(__file__).resolve().parents[2] / "docs"
ROOT = DOCS.parent
GUIDES = {"en": DOCS / "chapter4.md", "ko": DOCS / "chapter4.ko.md"}
H = 1e-4


def text_of(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


def sections(text: str) -> dict[int, str]:
    """Number -> the text of that '## N.' section, up to the next heading of its level."""
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    found = {}
    for part in parts:
        match = re.match(r"(\d+)\. ", part)
        if match:
            found[int(match.group(1))] = part
    return found


def prose(section: str) -> str:
    """A section without its code blocks: what the reader is told, not what is run."""
    return re.sub(r"```.*?```", "", section, flags=re.S)


def number(text: str) -> float:
    """'1.00000008e-7', '−1.3e12', '39,760', '0.69' as a float (a Unicode minus too)."""
    return float(text.replace("−", "-").replace(",", "").rstrip("."))


def agrees(stated: str, value: float) -> bool:
    """True if value, rounded to the significant digits stated shows, is the stated number."""
    plain = stated.replace("−", "-").replace(",", "").rstrip(".").lstrip("+-")
    mantissa = re.sub(r"[eE].*", "", plain)
    digits = len(mantissa.replace(".", "").lstrip("0")) or 1
    return math.isclose(number(stated), float(f"{value:.{digits}g}"), rel_tol=1e-12)


# --- the values, from the code ---------------------------------------------------------------

def descent_path(lr: float) -> list[list[float]]:
    return gradient_descent(function_2, [-3.0, 4.0], lr=lr, step_num=100)[1]


def frozen_from(path: list[list[float]], i: int) -> int:
    """The first step from which coordinate i never changes again."""
    k = len(path) - 1
    while k > 0 and path[k - 1][i] == path[-1][i]:
        k -= 1
    return k


def two_class_start() -> float:
    rng = random.Random(1)
    x_train = [[rng.random() for _ in range(4)] for _ in range(50)]
    t_train = [int(row[0] > row[1]) for row in x_train]
    net = TwoLayerNet(4, 5, 2, weight_init_std=1.0, seed=0)
    data = ((x_train[:40], t_train[:40]), (x_train[40:], t_train[40:]))
    hp = Hyperparameters(iters=4, batch_size=10, lr=2.0)
    return train(net, SGD(hp.lr), data, hp, random.Random(0)).epochs[0]["loss"]


def simple_net_gradient(i: int, j: int) -> float:
    return SimpleNet(BOOK_W).numerical_gradient(BOOK_X, BOOK_T)[i][j]


P9 = descent_path(10.0)[9]

# (section, what, {lang: pattern whose group 1 is the number}, value from the code)
CLAIMS: list[tuple[int, str, dict[str, str], Callable[[], float]]] = [
    (7, "the first step's length at η = 0.1",
     {"en": r"the first step is ([\d.]+) long",
      "ko": r"첫 걸음의 길이는 [\d.]+이 아니라\s+([\d.]+)입니다"},
     lambda: math.dist(*descent_path(0.1)[:2])),
    (7, "how far 100 steps of η = 1e-10 move",
     {"en": r"move the point\s+([\d.e+-]+) in all", "ko": r"합쳐도 ([\d.e+-]+)밖에"},
     lambda: math.dist(descent_path(1e-10)[-1], [-3.0, 4.0])),
    (7, "the step at which x1 freezes (η = 10)",
     {"en": r"x1 freezes at step (\d+)", "ko": r"x1은 (\d+)번째 걸음에서\s+멈춥니다"},
     lambda: frozen_from(descent_path(10.0), 1)),
    (7, "the step at which x0 freezes (η = 10)",
     {"en": r"At step (\d+) x0 reaches", "ko": r"(\d+)번째 걸음에서 x0은"},
     lambda: frozen_from(descent_path(10.0), 0)),
    (7, "where x0 freezes",
     {"en": r"x0 reaches ([−\d.e]+)", "ko": r"x0은 ([−\d.e]+)에 이르고"},
     lambda: descent_path(10.0)[-1][0]),
    (7, "where x1 freezes",
     {"en": r"For x1, near ([−\d.e]+)", "ko": r"x1은 약 ([−\d.e]+)인데"},
     lambda: descent_path(10.0)[-1][1]),
    (7, "the numerical gradient of x0 at step 9",
     {"en": r"numerical gradient for x0 is ([\d.e]+)", "ko": r"아니라\s+([\d.e]+)가 됩니다"},
     lambda: numerical_gradient(function_2, list(P9))[0]),
    (7, "the exact gradient of x0 at step 9",
     {"en": r"instead of the exact ([\d.e]+)", "ko": r"정확한 값 ([\d.e]+)가 아니라"},
     lambda: 2 * P9[0]),
    (7, "f at step 9",
     {"en": r"At step 9, f is about ([\d.e]+)", "ko": r"9번째 걸음에서 f는 약 ([\d.e]+)인데"},
     lambda: function_2(P9)),
    (7, "the spacing of floats near f at step 9",
     {"en": r"about ([\d.e]+)\s+apart", "ko": r"약 ([\d.e]+) 간격으로"},
     lambda: math.ulp(function_2(P9))),
    (7, "the change 4·x0·h at step 9",
     {"en": r"4·x0·h ≈ ([\d.e]+)", "ko": r"4·x0·h ≈ ([\d.e]+)"},
     lambda: 4 * abs(P9[0]) * H),
    (7, "the spacing of floats near x1 at step 9",
     {"en": r"the floats are ([\d.e-]+) apart", "ko": r"부동소수점 간격은 ([\d.e-]+)로"},
     lambda: math.ulp(P9[1])),
    (7, "x0 of the end point",
     {"en": r"stays at\s+\(([−\d.e]+),", "ko": r"먼 \(([−\d.e]+),"},
     lambda: descent_path(10.0)[-1][0]),
    (7, "x1 of the end point",
     {"en": r"stays at\s+\([−\d.e]+, ([−\d.e]+)\)", "ko": r"먼 \([−\d.e]+, ([−\d.e]+)\)"},
     lambda: descent_path(10.0)[-1][1]),
    (7, "x0 after ten pure ×(−19) steps",
     {"en": r"reached \(([−\d.e]+),", "ko": r"걸음에서 \(([−\d.e]+),"},
     lambda: -3.0 * (-19) ** 10),
    (7, "x1 after ten pure ×(−19) steps",
     {"en": r"reached \([−\d.e]+, \+([\d.e]+)\)", "ko": r"걸음에서 \([−\d.e]+, \+([\d.e]+)\)"},
     lambda: 4.0 * (-19) ** 10),
    (8, "dL/dW[0, 1] of simpleNet",
     {"en": r"if ∂L/∂W\[0, 1\] is ([\d.]+)", "ko": r"∂L/∂W\[0, 1\]이 ([\d.]+)라면"},
     lambda: simple_net_gradient(0, 1)),
    (8, "dL/dW[0, 0] of simpleNet",
     {"en": r"where the gradient is about ([\d.]+)", "ko": r"그 자리의 기울기는\s+약 ([\d.]+)이고"},
     lambda: simple_net_gradient(0, 0)),
    (10, "ln 10, the first loss on MNIST",
     {"en": r"ln 10 = ([\d.]+)", "ko": r"ln 10 = ([\d.]+)"}, lambda: math.log(10)),
    (10, "ln 2, the first loss of a 2-class guess",
     {"en": r"ln 2 = ([\d.]+)", "ko": r"ln 2 = ([\d.]+)"}, lambda: math.log(2)),
    (10, "the 2-class example's first loss",
     {"en": r"which starts at ([\d.]+)", "ko": r"실제로 ([\d.]+)에서 시작합니다"},
     two_class_start),
    (11, "parameters of a 784-50-10 net",
     {"en": r"has ([\d,]+) parameters", "ko": r"매개변수는 ([\d,]+)개입니다"},
     lambda: 784 * 50 + 50 + 50 * 10 + 10),
]


@pytest.mark.parametrize("lang", sorted(GUIDES))
@pytest.mark.parametrize("section, what, patterns, value", CLAIMS,
                         ids=[c[1] for c in CLAIMS])
def test_the_text_states_what_the_code_gives(lang, section, what, patterns, value):
    text = prose(sections(text_of(lang))[section])
    found = re.findall(patterns[lang], text)
    assert found, f"{GUIDES[lang].name} section {section} no longer states {what}"
    computed = value()
    for stated in found:
        assert agrees(stated, computed), (
            f"{GUIDES[lang].name} section {section}, {what}: the text says {stated}, "
            f"the code gives {computed!r}")


def test_the_freezing_steps_are_as_the_guide_explains_them():
    """x1 + h rounds back to x1 at step 9, x0 + h to x0 at step 10; before, no coordinate did."""
    path = descent_path(10.0)
    assert all(v + H != v for p in path[:9] for v in p)
    assert path[9][1] + H == path[9][1] and path[9][0] + H != path[9][0]
    assert path[10][0] + H == path[10][0]
    # the gradient of x0 at step 9 is one float spacing of f over 2h, not the exact 2 x0
    assert numerical_gradient(function_2, list(P9))[0] == math.ulp(function_2(P9)) / (2 * H)
    # and the steps before 9 are the pure x(-19) ones, to the float digits that matter
    for k in range(1, 8):
        assert path[k] == pytest.approx([-3.0 * (-19) ** k, 4.0 * (-19) ** k], rel=1e-3)


GONE = {
    # statements the code's numbers contradict, and the old phrasings a reader stumbled on
    "en": ["step a distance η", "less than 1e-7", "near 1e13", "Every run starts near log 10",
           "until, near 1e13"],
    "ko": ["η만큼 이동", "1e-7도 채", "1e13 근처에 이르면", "모든 학습은", "과대적합",
           "이 파일도\n모읍니다", "아주 작은 간격 h 동안의", "서로 다른 자릿수만",
           "정직한 축", "0.14h라는 읽기"],
}


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_statements_found_wrong_are_gone(lang):
    text = text_of(lang)
    for phrase in GONE[lang]:
        assert phrase not in text, f"{GUIDES[lang].name} still says {phrase!r}"


def test_the_readme_no_longer_says_near_1e12():
    assert "near 1e12" not in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_guide_says_what_the_notes_got_wrong_and_how_sgd_gets_its_gradient(lang):
    found = sections(text_of(lang))
    six, nine = prose(found[6]), prose(found[9])
    notes = "기울기는 각 지점에서 함수의 값이 낮아지는 방향을 가리킨다"
    assert notes in six  # the notes' sentence, quoted, then corrected
    assert "saddle" in six if lang == "en" else "안장점" in six
    assert "backpropagation" in nine if lang == "en" else "오차역전파법" in nine
    assert "small enough" in nine if lang == "en" else "충분히 작았기" in nine


# --- each section runs with what it says it needs ---------------------------------------------

NEEDS = {"en": r"\*Continues from section (\d+): (.*?)\.\*",
         "ko": r"\*(\d+)절에서 이어집니다: (.*?)\.\*"}


def examples(section: str) -> list[doctest.Example]:
    return [e for e in doctest.DocTestParser().parse(section) if isinstance(e, doctest.Example)]


def run(section_examples: list[doctest.Example], globs: dict, name: str) -> dict:
    test = doctest.DocTest(section_examples, globs, name, None, 0, None)
    failures: list[str] = []

    class Collect(doctest.DocTestRunner):
        def report_failure(self, out, test, example, got):
            failures.append(f"{example.source.strip()} printed {got!r}")

        def report_unexpected_exception(self, out, test, example, exc_info):
            failures.append(f"{example.source.strip()} raised {exc_info[1]!r}")

    runner = Collect(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    runner.run(test, out=lambda _: None, clear_globs=False)
    assert not failures, f"{name}: " + "; ".join(failures)
    return test.globs


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_each_section_runs_with_only_what_it_says_it_takes(lang):
    found = sections(text_of(lang))
    alone: dict[int, dict] = {}
    for n in sorted(found):
        globs: dict = {}
        need = re.search(NEEDS[lang], found[n])
        if need:
            earlier, names = int(need.group(1)), re.findall(r"`(\w+)`", need.group(2))
            assert earlier < n and names, need.group(0)
            globs = {name: alone[earlier][name] for name in names}
        alone[n] = run(examples(found[n]), globs, f"{GUIDES[lang].name} section {n}")


# --- the shape of the guides ------------------------------------------------------------------

def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_contents_link_every_section_and_headings_follow_one_pattern(lang):
    text = text_of(lang)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    pattern = r"\d+\. [^()]+ \([^()]+\)"  # N. title (the other language's term)
    for heading in headings:
        assert re.fullmatch(pattern, heading), heading
    links = re.findall(r"^\d+\. \[.+?\]\(#(.+?)\)$", text, flags=re.M)
    assert links == [slug(h) for h in headings]


JAPANESE = ["損失関数", "交差エントロピー誤差", "ミニバッチ", "数値微分", "勾配", "勾配法",
            "学習率", "エポック", "確率的勾配降下法"]


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_glossary_has_the_books_japanese_terms_and_the_korean_editions(lang):
    glossary = sections(text_of(lang))[12]
    rows = [line for line in glossary.splitlines() if line.startswith("| ")]
    for term in [*JAPANESE, "하이퍼파라미터", "원-핫", "오버피팅"]:
        assert any(f" {term} " in row or f"| {term} (" in row for row in rows), term


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_every_section_ends_with_write_it_yourself(lang):
    mark = "*Write it yourself:*" if lang == "en" else "**직접 써 보기:**"
    for n, section in sections(text_of(lang)).items():
        if n == 12:  # the glossary
            continue
        block = section.rstrip().rsplit("\n\n", 1)[-1]
        assert block.startswith(mark) and "`purenet check my_ch4.py`" in block, n
