#!/usr/bin/env python3
"""Builds the SentencePiece fixture of Tests/TokenizersTests/Fixtures/spm (the reference for
SentencePieceModelTests).

It trains a small BPE `tokenizer.model` on corpus.txt (English and Chinese, with digits)
configured as InternLM-XComposer's tokenizer is (docs/xcomposer-v1-spec.md section 3): BPE,
byte fallback, split digits, identity normalisation, no dummy prefix, extra whitespace kept,
and user-defined `<TOKENS_UNUSED_*>` symbols. Then it writes expected.json with

* `model`: facts read back from the model file by sentencepiece's own protobuf classes
  (every piece with its score and type, and the trainer and normalizer flags), and
* `cases`: `SentencePieceProcessor.encode` ids (no BOS/EOS) and `decode` text for ~40 strings.

It also writes reserved.model, a hand-made BPE model where merges could reach a control, byte
or unused piece (SentencePiece never emits those from merges), with reserved.json holding
sentencepiece's ids for the strings that probe it.

Run it in a throwaway venv:
    python3 -m venv /tmp/venv-spm && /tmp/venv-spm/bin/pip install sentencepiece protobuf
    /tmp/venv-spm/bin/python scripts/make_spm_fixture.py
"""
import io
import json
import os

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "TokenizersTests", "Fixtures", "spm")

META = (
    "meta instruction\n"
    "You are an AI assistant whose name is 浦语.\n"
    "- 浦语 is a conversational language model that is developed by Shanghai AI Laboratory "
    "(上海人工智能实验室). It is designed to be helpful, honest, and harmless.\n"
    "- 浦语 can understand and communicate fluently in the language chosen by the user such as "
    "English and 中文.\n"
    "conversation\n"
)

USER_DEFINED = [f"<TOKENS_UNUSED_{i}>" for i in range(8)]

CASES = [
    # Prompt segments of spec sections 4 and 5, each tokenized on its own there.
    META + " <|User|>:",
    " <|User|>:",
    "\n<TOKENS_UNUSED_0> <|Bot|>:",
    " <|Bot|>:",
    "What is in this picture?",
    " <|User|>:根据给定标题写一个图文并茂，不重复的文章：春天的西湖\n<TOKENS_UNUSED_0> <|Bot|>:",
    ' <|User|>:给定文章"<Seg0> 春天来了。\n<Seg1> 湖边的花开了。\n" 根据上述文章，选择适合插入图像的3行'
    " \n<TOKENS_UNUSED_0> <|Bot|>:适合插入图像的行是",
    ' <|User|>: 给定文章"<Seg0> 春天来了。\n" 现在<Seg0>后插入图像对应的标题是"春天"。'
    '给出适合在<Seg1>后插入的图像对应的标题。 \n<TOKENS_UNUSED_0> <|Bot|>: 标题是"',
    "  <|User|>:根据给定上下文和候选图像，选择合适的配图：春天来了。\n\n候选图像包括: A.\nB.\nC.\nD.\n\n"
    "<TOKENS_UNUSED_0> <TOKENS_UNUSED_0> <|Bot|>:最合适的图是A<TOKENS_UNUSED_1> </s>",
    " <|User|>:请描述这张图片。<TOKENS_UNUSED_0> <|Bot|>:图片中有一只猫。<TOKENS_UNUSED_1> </s>",
    # User-defined symbols, whole, adjacent, inside words, and incomplete.
    "<TOKENS_UNUSED_0>",
    "<TOKENS_UNUSED_0><TOKENS_UNUSED_1><TOKENS_UNUSED_7>",
    "x<TOKENS_UNUSED_2>y",
    "<TOKENS_UNUSED_0 <TOKENS_UNUSED_8> <TOKENS_UNUSED_10>",
    # Control and byte texts are plain text to SentencePiece.
    "<s> hello </s> <unk>",
    "<0x41> <0xE6>",
    # Digits (split one by one).
    "1234567890",
    "他在2023年10月12日发布了新的模型。",
    "3.14159 and -42 and 1,000,000",
    "x=42; y=0.5",
    # Byte fallback: emoji and characters outside the vocabulary.
    "😀👍🏽🇨🇳",
    "I ❤ 🐈 cats",
    "Ωμέγα ≈ √2 ∫ ∂x",
    "안녕하세요 こんにちは",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ ẞ",
    "\u00e9 e\u0301 \u200b",
    # Spaces and newlines.
    "",
    " ",
    "   ",
    " leading space",
    "trailing space ",
    "two  spaces   three    four",
    "line one\nline two\n",
    "\n\n",
    "tab\there\r\nwindows",
    "literal ▁ meta symbol",
    # Ordinary text.
    "The quick brown fox jumps over the lazy dog.",
    "今天天气很好，我们去公园散步吧。",
    "English and 中文 mixed, like 你好world and world你好.",
    "Hello, 世界! Good morning.",
    "unseenwordsxyzzy qwertyuiop",
]


def train():
    writer = io.BytesIO()
    with open(os.path.join(FIXTURES, "corpus.txt"), encoding="utf-8") as corpus:
        lines = [line.rstrip("\n") for line in corpus]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=writer,
        model_type="bpe",
        vocab_size=800,
        hard_vocab_limit=False,
        byte_fallback=True,
        split_digits=True,
        add_dummy_prefix=False,
        remove_extra_whitespaces=False,
        normalization_rule_name="identity",
        user_defined_symbols=USER_DEFINED,
        max_sentencepiece_length=16,
        num_threads=1,
        minloglevel=2,
    )
    return writer.getvalue()


def main():
    data = train()
    assert len(data) < 100_000, len(data)
    with open(os.path.join(FIXTURES, "tokenizer.model"), "wb") as out:
        out.write(data)

    proto = model_pb2.ModelProto()
    proto.ParseFromString(data)
    trainer, normalizer = proto.trainer_spec, proto.normalizer_spec
    model = {
        "bytes": len(data),
        "pieces": [[p.piece, p.score, p.type] for p in proto.pieces],
        "trainer": {
            "model_type": trainer.model_type,
            "vocab_size": trainer.vocab_size,
            "byte_fallback": trainer.byte_fallback,
            "split_digits": trainer.split_digits,
            "treat_whitespace_as_suffix": trainer.treat_whitespace_as_suffix,
            "max_sentencepiece_length": trainer.max_sentencepiece_length,
            "unk_id": trainer.unk_id,
            "bos_id": trainer.bos_id,
            "eos_id": trainer.eos_id,
            "pad_id": trainer.pad_id,
        },
        "normalizer": {
            "name": normalizer.name,
            "add_dummy_prefix": normalizer.add_dummy_prefix,
            "remove_extra_whitespaces": normalizer.remove_extra_whitespaces,
            "escape_whitespaces": normalizer.escape_whitespaces,
        },
    }

    processor = spm.SentencePieceProcessor(model_proto=data)
    cases = []
    for text in CASES:
        ids = processor.encode(text)
        cases.append({
            "text": text,
            "ids": ids,
            "pieces": [processor.id_to_piece(i) for i in ids],
            "decoded": processor.decode(ids),
        })
    expected = {
        "generator": f"sentencepiece {spm.__version__}, scripts/make_spm_fixture.py",
        "model": model,
        "cases": cases,
    }
    with open(os.path.join(FIXTURES, "expected.json"), "w", encoding="utf-8") as out:
        out.write(layout(expected))
    write_reserved()


RESERVED_CASES = ["<s>", "</s>", "x<s>y", "<0x41>", "aba", "ba", "ab", "<unk>", "a<TOKENS_UNUSED_0>b"]


def reserved_model():
    """A BPE model whose merges lead to `<s>` (control), `<0x41>` (byte) and `ba` (unused)."""
    proto = model_pb2.ModelProto()

    def add(text, score, kind):
        piece = proto.pieces.add()
        piece.piece, piece.score, piece.type = text, score, kind

    normal, unknown, control, user, unused, byte = 1, 2, 3, 4, 5, 6
    add("<unk>", 0, unknown)
    add("<s>", 0, control)
    add("</s>", 0, control)
    add("<TOKENS_UNUSED_0>", 0, user)
    for value in range(256):
        add(f"<0x{value:02X}>", 0, byte)
    for text, score in [("<", -1), ("s", -1), (">", -1), ("a", -1), ("b", -1), ("x", -1), ("y", -1),
                        ("/", -1), ("0", -1), ("1", -1), ("4", -1), ("<s", -2), ("s>", -3), ("ab", -4),
                        ("<0", -5), ("<0x", -6), ("<0x4", -7), ("<0x41", -8)]:
        add(text, score, normal)
    add("ba", -1.5, unused)
    trainer = proto.trainer_spec
    trainer.model_type, trainer.byte_fallback, trainer.vocab_size = 2, True, len(proto.pieces)
    normalizer = proto.normalizer_spec
    normalizer.name, normalizer.add_dummy_prefix, normalizer.remove_extra_whitespaces = "identity", False, False
    return proto.SerializeToString()


def write_reserved():
    data = reserved_model()
    with open(os.path.join(FIXTURES, "reserved.model"), "wb") as out:
        out.write(data)
    processor = spm.SentencePieceProcessor(model_proto=data)
    cases = []
    for text in RESERVED_CASES:
        ids = processor.encode(text)
        cases.append({"text": text, "ids": ids, "pieces": [processor.id_to_piece(i) for i in ids],
                      "decoded": processor.decode(ids)})
    with open(os.path.join(FIXTURES, "reserved.json"), "w", encoding="utf-8") as out:
        out.write("[\n" + ",\n".join(" " + compact(c) for c in cases) + "\n]\n")


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def layout(expected):
    """JSON with one piece or case a line, so the file stays small and diffs stay readable."""
    model = expected["model"]
    lines = ["{", f' "generator":{compact(expected["generator"])},', ' "model":{']
    for key in ("bytes", "trainer", "normalizer"):
        lines.append(f"  {compact(key)}:{compact(model[key])},")
    lines.append('  "pieces":[')
    lines.append(",\n".join("   " + compact(p) for p in model["pieces"]))
    lines += ["  ]", " },", ' "cases":[']
    lines.append(",\n".join("  " + compact(c) for c in expected["cases"]))
    lines += [" ]", "}", ""]
    return "\n".join(lines)

if __name__ == "__main__":
    main()
