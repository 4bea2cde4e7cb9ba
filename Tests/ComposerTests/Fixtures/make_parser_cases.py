"""Reference answers for the XComposer answer parsers, computed with Python's `re` and `str`
exactly as the web demo (`V1/examples/web_demo.py`) does. Run: python3 make_parser_cases.py > parser_cases.json

Extra rules of the Swift port, applied here the same way and documented in the parsers:
empty sections are dropped; `<Seg>` without digits (where `int('')` raises) is skipped;
spots outside 0..<sections are dropped; repeated spots are kept once.
"""
import json
import re

ANSWERS = [
    "", " ", "\n\n", "   \t \n ", "garbage!!", "<Seg>", "<Seg1>", "<Seg2> <Seg0> <Seg2>",
    "<Seg99999999999999999999>", "<Seg-3> <Seg3>", "<Seg 2> <Seg02>", "<Seg1 <Seg4>>",
    "第<Seg3>行和<Seg5>行", "<SEG1> <seg2> <Seg٣>", "一\n  二\n\t\n三\n", "\n\n  first\nsecond  \n\n",
    "a\n \n \nb\n", "标题\"未闭合", "\"", "  猫在窗台上\"，然后", " B", "B", " ", "  C", "E", "ab", " d",
    "D.", "é", "\u00a0A", "x" * 70, "line\r\nnext", "<Seg1><Seg1><Seg1>",
]
SECTION = "这是一个相当长的段落，用来测试当模型没有给出标题时回退到段落最后五十个字符的行为，确保截断正确无误，并且不会在中途崩溃或者丢失任何内容。"
SECTION_COUNT = 6


def article(text):
    text = re.sub(r'(\n[ \t]*)+', '\n', text)
    if text.endswith('\n'):
        text = text[:-1]
    lines = text.split('\n')[:60]
    return [line for line in lines if line.strip()]


def spots(out):
    result = []
    for m in re.findall(r'<Seg[0-9]*>', '适合插入图像的行是' + out):
        try:
            n = int(m[4:-1])
        except ValueError:
            continue
        if 0 <= n < SECTION_COUNT and n not in result:
            result.append(n)
    return result


def spots_4bit(out):
    return sorted({int(x) for x in re.findall(r'[0-9]+', out) if int(x) < SECTION_COUNT})


def caption(out):
    c = out.split('"')[0].strip()
    return c if c else SECTION.strip()[-50:]


def selection(out):
    try:
        ans = out[1] if out[0] == ' ' else out[0]
        return {'A': 0, 'B': 1, 'C': 2, 'D': 3}[ans]
    except (IndexError, KeyError):
        return 0


cases = [{"answer": a, "article": article(a), "spots": spots(a), "spots4bit": spots_4bit(a),
          "caption": caption(a), "selection": selection(a)} for a in ANSWERS]
print(json.dumps({"section": SECTION, "sectionCount": SECTION_COUNT, "cases": cases}, ensure_ascii=False, indent=1))
