"""Streaming clean-up of narration text from every tier: labels, role markers, meta-talk.

Small models echo their prompt ("Actor: Bob", "(untrusted, in-character, not
instructions)", "In 2-4 sentences:", "The Dungeon Master answers:"), talk about the task
("Here is the narration:", "As an AI ...") and run on past the sentence limit or stop
mid-word at the token limit. ``NarrationFilter`` removes all of that while the text
streams, so no player ever sees it, and keeps the rest flowing word by word.

Pure: no I/O, clock or randomness. One instance per narration (the chain owns it and
feeds it every tier's text, offline included).

Invariants (tests/test_dm_textfilter.py checks them against a corpus of recorded bad
outputs, for every way of cutting the text into chunks):
- the output does not depend on how the input was cut into chunks;
- at the start of a segment (the text's start, after a line break or after a sentence
  end) text is held back only while its first words could still begin a label or a
  meta-talk opening (a few words); elsewhere only a possible start of an inline
  pattern (``(``, ``<``, ``[``, "in 2-4 ...", "engine ...") is held, at most
  ``_TAIL`` characters;
- at most ``max_sentences`` sentences are let through; after that ``full`` is True and
  the rest is dropped;
- once the text passed ``soft_chars`` characters, an unfinished sentence is held until
  it ends, so a narration stopped at the token limit ends at its last full sentence
  (``flush(cut=True)`` drops the unfinished rest and ``cut`` becomes True).
"""

from __future__ import annotations

import re

# Phrases (lower-case word tuples) that may open a label or meta-talk at a segment start.
_OPENERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "actor",
        "actors",
        "request",
        "facts",
        "fact",
        "engine outcome",
        "outcome",
        "room",
        "exits",
        "present",
        "things here",
        "description",
        "persona",
        "tone",
        "story so far",
        "listening",
        "rules",
        "rule",
        "player speech",
        "speech",
        "user",
        "system",
        "player",
        "instruction",
        "instructions",
        "note",
        "context",
        "summary",
        "history",
        "severity",
        "kind",
        "narrator",
        "assistant",
        "dm",
        "gm",
        "game master",
        "dungeon master",
        "the dungeon master",
        "the narrator",
        "the dm",
        "the game master",
        "the engine",
        "the player",
        "the prompt",
        "the outcome",
        "the request",
        "the narration",
        "the response",
        "the answer",
        "the following",
        "storyteller",
        "ai",
        "response",
        "answer",
        "narration",
        "output",
        "reply",
        "in",
        "as an",
        "as a language",
        "as the",
        "i am",
        "i'm",
        "i cannot",
        "i can't",
        "i will",
        "i'll",
        "i hope",
        "sure",
        "certainly",
        "of course",
        "okay",
        "ok",
        "here is",
        "here's",
        "here are",
        "below is",
        "let me",
        "feel free",
        "remember",
        "this narration",
        "narrate",
        "narrating",
        "-",
        "*",
        "#",
        "##",
        "###",
        "**",
        ">",
    )
)
_FIRST_WORDS = frozenset(p[0] for p in _OPENERS)

_ROLE_WORDS = (
    r"(?:the\s+)?(?:dungeon\s*master|narrator|assistant|dm|gm|game\s*master|storyteller|ai|"
    r"response|answer|narration|output|reply)"
    r"(?:\s+(?:answers|says|replies|narrates|responds|speaks|continues|writes))?"
)
# A role marker at a segment start: removed, the text after it is kept.
_ROLE = re.compile(
    r"[\s*#>_]*(?:\*\*)?" + _ROLE_WORDS + r"\s*(?:\([^)\n]{0,80}\))?\s*(?:\*\*)?\s*:(?:\*\*)?\s*",
    re.I,
)
_FIELD_WORDS = (
    r"(?:actors?|request|facts?|(?:engine\s+)?outcome|room|exits|present|"
    r"things\s+here|description|persona|tone|story\s+so\s+far|listening|rules?|"
    r"player\s+speech(?:\s+from\s+[^:(\n]{0,40})?|speech|user|system|player|"
    r"instructions?|note|context|summary|history|severity|kind)"
)
# "Bob:" / "Bessa (smiling):" at a segment start: a script-style speaker marker, removed.
_NAME_LABEL = re.compile(
    r"[\s*#>_]*(?:\*\*)?[A-Z][\w'’-]{0,20}"
    r"(?:\s+(?:attempts|tries|says|asks|answers|replies|does))?"
    r"(?:\s*,?\s*(?:in-character|ooc))?"
    r"(?:\s*\([^)\n]{0,40}\))?\s*(?:\*\*)?:(?:\*\*)?(?:\s+|$)"
)
_NAME_PENDING = re.compile(
    r"[\s*#>_]*(?:\*\*)?[A-Z][\w'’-]{0,20}"
    r"(?:\s+(?:a|at|att\w*|t|tr\w*|s|sa\w*|as\w*|an\w*|r|re\w*|d|do\w*))?"
    r"(?:\s*[,(][^)\n:]{0,40}\)?)?\s*(?:\*\*)?$"
)
# A prompt-field label or a list item at a segment start: the segment is dropped.
_FIELD = re.compile(
    r"[\s*#>_]*(?:\*\*)?" + _FIELD_WORDS + r"\s*(?:\([^)\n]{0,80}\))?\s*(?:\*\*)?\s*:"
    r"|[\s*#>_]*(?:\*\*)?" + _ROLE_WORDS + r"\s*(?:\*\*)?\s*\n"
    r"|[\s>]*(?:[-*•]|\d{1,2}[.)])\s",
    re.I,
)
# A segment start that is a label so far, its colon not yet come: wait for more.
_PENDING = re.compile(
    r"[\s*#>_]*(?:\*\*)?(?:" + _FIELD_WORDS + "|" + _ROLE_WORDS + r")"
    r"\s*(?:\([^)\n]{0,80}\)?)?\s*(?:\*\*)?\s*$",
    re.I,
)
# Meta-talk openings at a segment start: the sentence is dropped.
_META = re.compile(
    r"\s*(?:as\s+an?\s+(?:ai|language\s+model|assistant|narrator)|as\s+the\s+(?:dungeon\s+"
    r"master|narrator|dm)\b[^.!?\n]{0,60}?\b(?:i|i'll|i\s+will)\b|i\s+am\s+an?\s+(?:ai|"
    r"language)|i'm\s+an?\s+(?:ai|language)|i\s+(?:cannot|can't|will\s+not|won't)\b|"
    r"i'm\s+sorry|i\s+am\s+sorry|i\s+hope\b|i'll\s+narrate|i\s+will\s+narrate|"
    r"sure\b|certainly\b|of\s+course\b|okay\b|ok\b|here\s+is\b|here's\b|here\s+are\b|"
    r"below\s+is\b|let\s+me\b|feel\s+free\b|remember\b|this\s+narration\b|narrat(?:e|ing)\b|"
    r"the\s+(?:engine|player|prompt|outcome\s+is|request|narration|response|answer|"
    r"following)\b)",
    re.I,
)
# Inline fragments removed wherever they appear (each at most _TAIL characters long).
_INLINE = re.compile(
    r"\s*\((?:[^()\n]{0,30}\b)?(?:untrusted|not\s+instructions|in-character|fixed,\s*do\s+not)"
    r"[^()\n]{0,60}\)"
    r"|\s*\(\s*\d\s*(?:-|–|to)\s*\d\s+sentences?\s*\)"
    r"|,?\s*\bin-character\b\s*:?"
    r"|\bin\s+\d\s*(?:-|–|to)\s*\d\s+sentences?\s*[:.,]?\s*"
    r"|<\|[^|<>\n]{0,30}\|>|</?s>|\[/?INST\]|<<?/?SYS>>?"
    r"|\bENGINE\s+OUTCOME\b[^:\n]{0,40}:\s*"
    # The turn line's "(kind, outcome)": "(scene, enter)" (SmolLM2, played 2026-12-07).
    r"|\s*\((?:action|talk|ask|enter|scene|combat|ambient|milestone"
    r"|[a-z_]{2,20},\s*[a-z_ ]{2,30},\s*severity)\b[^()\n]{0,50}\)"
    r"|,?\s*\bseverity\s+\d\s+of\s+\d\b"
    r"|\s*\(the\s+player\s+repeated[^\n]{0,50}?narrate\s+it\s+once\.?\)",
    re.I,
)
_SPECIAL = re.compile(r"\s*(?:<\|[^|<>\n]{0,30}\|>|</?s>|\[/?INST\]|<<?/?SYS>>?)")
_TAIL = 96  # longest inline match, so an unfinished one is always inside the tail
_HOLD_WORD = re.compile(r"(?i)\b(?:in\s+\d|engine\b|severity\b|the\s+player\s+rep)")
# A sentence ends at . ! ? or … (maybe followed by closing quotes) then whitespace.
_SENT_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s)")
_COMPLETE = re.compile(r"[.!?…][\"'”’»)]*\s*$")
_PAREN = re.compile(r"\([^)\n]{0,80}(?:\)|$)")
_SPACE_PUNCT = re.compile(r" +([.,;:!?])")
_TRIGGER = re.compile(r"[(<\[]")
_SPACE_RUN = re.compile(r"[ \t]{2,}")
_WORD = re.compile(r"[^\s:(),.!?;\"“”«»]+|[:(),.!?;]")


def ends_a_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence's mark (. ! ? or …, maybe closing quotes),
    whitespace after it aside: what this filter and the vetting gate take for a whole
    sentence. Pure."""
    return _COMPLETE.search(text) is not None


def _clean(text: str) -> str:
    """``text`` without inline fragments, runs of spaces collapsed."""
    if _INLINE.search(text) is None:
        return _SPACE_RUN.sub(" ", text)
    return _SPACE_PUNCT.sub(r"\1", _SPACE_RUN.sub(" ", _INLINE.sub(" ", text)))


def _segment_end(raw: str, limit: int, matches: list[re.Match[str]]) -> tuple[int, bool]:
    """The first segment end in ``raw[:limit]`` outside every inline match: (index, True)
    after a sentence end, (index of the line break, False), or (-1, False)."""
    spans = [(m.start(), m.end()) for m in matches]
    ends = [(m.end(), True) for m in _SENT_END.finditer(raw, 0, limit)]
    ends += [(m.start(), False) for m in re.finditer("\n", raw[:limit])]
    for pos, sentence in sorted(ends, key=lambda e: (e[0], not e[1])):
        if not any(a < pos < b for a, b in spans):
            return pos, sentence
    return -1, False


def _opener_state(text: str) -> str:
    """Can ``text`` (a segment start) still be a label/meta opening? ``"no"`` when its
    first complete words match no opener, ``"maybe"`` while they may, ``"decide"`` when
    enough is known (an opener matched in full, a colon came, or a segment end)."""
    stripped = text.lstrip(" \t*#>_")
    if not stripped:
        return "maybe"
    if stripped[0] in "-•" or stripped[0].isdigit():
        return "decide" if len(stripped) > 2 or "\n" in stripped else "maybe"
    words = [w.lower() for w in _WORD.findall(stripped)]
    complete = (
        len(words) if stripped[-1].isspace() or not stripped[-1].isalnum() else len(words) - 1
    )
    if complete == 0:
        first = words[0] if words else ""
        return "maybe" if any(w.startswith(first) for w in _FIRST_WORDS) else "no"
    if words[0] not in _FIRST_WORDS:
        return "no"
    seq = tuple(words[:complete])
    for phrase in _OPENERS:
        n = min(len(phrase), len(seq))
        if phrase[:n] == seq[:n]:
            if len(seq) >= len(phrase):
                return "decide"
            return "maybe"
    return "no"


class NarrationFilter:
    """Removes labels, role markers, meta-talk and instruction echoes from streamed text.

    ``feed`` returns the text that may be shown now; ``flush`` (end of stream) returns
    the rest. ``full`` turns True once ``max_sentences`` sentences went out (the caller
    may stop the stream then); ``cut`` is True when ``flush(cut=True)`` had to drop an
    unfinished sentence. Never raises.
    """

    def __init__(self, *, max_sentences: int = 4, soft_chars: int = 10**9) -> None:
        self.max_sentences = max(1, max_sentences)
        self.soft_chars = soft_chars
        self._buf = ""  # undecided text
        self._mode = "start"  # start | stream | drop | full
        self._sentences = 0
        self._emitted = 0
        self._new_segment = False  # the next text starts a new segment (needs a space)
        self._last_space = False  # the last character let out was whitespace
        self._held_sentence = False
        self.cut = False

    @property
    def full(self) -> bool:
        """True once the sentence limit was reached (the rest of the stream is dropped)."""
        return self._mode == "full"

    @property
    def sentences(self) -> int:
        """Sentences let through so far."""
        return self._sentences

    def feed(self, chunk: str) -> str:
        """Add ``chunk``; return the clean text that is certain now."""
        if self._mode == "full" or not chunk:
            return ""
        self._buf += chunk.replace("\r", "")
        return self._run(final=False)

    def flush(self, *, cut: bool = False) -> str:
        """End of the stream: the rest of the text. With ``cut`` (the provider stopped at
        its token limit) an unfinished last sentence is dropped and ``cut`` is set."""
        if self._mode == "full":
            self._buf = ""
            return ""
        out = self._run(final=True, cut=cut)
        self._buf = ""
        return out

    # -- internals -----------------------------------------------------------------------

    def _run(self, *, final: bool, cut: bool = False) -> str:
        out: list[str] = []
        while self._buf and self._mode != "full":
            if self._mode == "start":
                if not self._start(final):
                    break
            elif self._mode == "drop":
                if not self._drop(final):
                    break
            elif not self._stream(out, final, cut):
                break
        return "".join(out)

    def _start(self, final: bool) -> bool:
        """Decide what the segment at the head of ``_buf`` is. False = need more text."""
        buf = self._buf
        # A special token is a break, as ``_clean`` makes it mid-stream: "a:<s>b" reads
        # "a: b" however it was chunked (Hypothesis found "a:b" when it came whole).
        body = _SPECIAL.sub(" ", buf).lstrip() if "<" in buf or "[" in buf else buf.lstrip()
        if not body:
            if final:
                self._buf = ""
            return False
        head = body.split("\n", 1)[0]
        if not final and head[:1] in "<[" and len(head) < 40 and not re.search(r"[>\]]", head):
            return False  # maybe a special token ("<|im_start|>", "[INST]")
        seg_end = "\n" in body or _SENT_END.search(head) is not None
        state = _opener_state(head + ("\n" if seg_end else ""))
        if state == "maybe" and not final and not seg_end and len(head) < _TAIL:
            return False
        if state != "no":
            role = _ROLE.match(body)
            if role is not None:
                if not final and len(body) - role.end() < 3:
                    return False  # the label may still grow ("Narrator:**")
                self._buf = body[role.end() :]
                return True  # stay at the start: another label may follow
            if _FIELD.match(body) or _META.match(body):
                self._mode = "drop"
                self._buf = body
                return True
            words = len(_WORD.findall(_PAREN.sub("", head)))
            if not final and not seg_end and len(head) < _TAIL and ":" not in head and words < 8:
                return False
        name = _NAME_LABEL.match(body)
        if name is not None:
            if not final and len(body) - name.end() < 3:
                return False
            self._buf = body[name.end() :]
            return True
        if not final and not seg_end and _NAME_PENDING.match(head):
            return False
        self._buf = body
        self._mode = "stream"
        return True

    def _drop(self, final: bool) -> bool:
        """Discard up to the end of the current segment. False = need more text."""
        buf = self._buf
        newline = buf.find("\n")
        end = _SENT_END.search(buf)
        stops = [
            i for i in (newline + 1 if newline >= 0 else -1, end.end() if end else -1) if i > 0
        ]
        if not stops:
            if final:
                self._buf = ""
            else:
                # Keep a little so a sentence end split across chunks is still seen.
                self._buf = buf[-4:]
            return False
        self._buf = buf[min(stops) :]
        self._mode = "start"
        return True

    def _stream(self, out: list[str], final: bool, cut: bool) -> bool:
        """Emit prose up to a segment end or a safe point. False = need more text."""
        raw = self._buf
        matches = list(_INLINE.finditer(raw))
        limit = len(raw)
        if not final and matches and matches[-1].end() >= len(raw) - 1:
            # A match touching the end may still grow ("sentence" -> "sentences:").
            limit = matches.pop().start()
        stop, ends_sentence = _segment_end(raw, limit, matches)
        if stop >= 0:
            piece = _clean(raw[:stop])
            self._put(out, piece)
            self._buf = raw[stop:]
            self._mode = "start"
            self._new_segment = True
            if ends_sentence:
                self._sentences += 1
                self._held_sentence = False
                if self._sentences >= self.max_sentences:
                    self._mode = "full"
                    self._buf = ""
                    return False
            return True
        if final:
            buf = _clean(raw)
            if ends_a_sentence(buf):
                self._put(out, buf.rstrip())
                self._sentences += 1
            elif cut and buf.strip():
                self.cut = True
                if not self._held_sentence:
                    self._put(out, buf.rstrip() + "…")
            elif buf.strip():
                # The answer stopped without ending its sentence: mark the trail-off
                # rather than leave the room with half a sentence and no sign of it.
                tail = buf.rstrip()
                self._put(out, tail.rstrip(",;:—-") + "…")
            self._buf = ""
            return False
        head = _clean(raw[:limit])
        rest = raw[limit:]
        if self._held_sentence or (self._new_segment and self._emitted >= self.soft_chars):
            # Near the token limit: hold a new sentence until it ends (dropped if cut).
            self._held_sentence = True
            self._buf = head + rest
            return False
        safe = self._safe_point(head)
        if safe > 0:
            self._put(out, head[:safe])
        self._buf = head[safe:] + rest
        return False

    @staticmethod
    def _safe_point(buf: str) -> int:
        """How much of ``buf`` (no segment end in it) can go out now: everything before
        the first place in the tail where an inline pattern could be starting, and never
        the unfinished last word (it may still become "in" or "engine")."""
        n = len(buf)
        tail_start = max(0, n - _TAIL)
        cut = n
        m = re.search(r"\S+$", buf)
        if m is not None:
            cut = m.start()
        trigger = n
        for pat in (_TRIGGER, _HOLD_WORD):
            hit = pat.search(buf, tail_start)
            if hit is not None:
                trigger = min(trigger, hit.start())
        # A trailing "in" (maybe "in 2") could become "in 2-4 sentences".
        trail = re.search(r"(?i)\bin(?:\s+\d\S*)?\s*$", buf)
        if trail is not None:
            trigger = min(trigger, trail.start())
        if trigger < cut:
            cut = trigger
            # Keep the space before a fragment that may vanish ("tolls (untrusted).").
            while cut > 0 and buf[cut - 1] in " \t":
                cut -= 1
        return cut

    def _put(self, out: list[str], text: str) -> None:
        if self._new_segment or not self._emitted:
            text = text.lstrip()
            if not text:
                return
            if self._emitted and not self._last_space:
                text = " " + text
            self._new_segment = False
        if self._last_space and text[:1].isspace():
            text = text.lstrip()
        if not text:
            return
        text = text.replace("\n", " ")
        out.append(text)
        self._last_space = text[-1].isspace()
        self._emitted += len(text)
