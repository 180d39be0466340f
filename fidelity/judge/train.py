"""Train the judge: ``python -m fidelity.judge.train [--hold-out DOMAIN] [--small] [--ship]``.

Data: the consistency files (``--data``, default ``../shared/data/consistency`` from the
working directory), their sentence pairs with derived labels, plus generated pairs from their
documents (fidelity.judge.generate). About 12% of each domain's documents are kept apart as a
dev split by document (thresholds and the fp16 check are fitted there, never on the held-out
domain). Checkpoints go to ``--out`` (default ``checkpoints/judge-<run>``, gitignored) every
``--save-every`` steps; re-running the same command resumes from the last one. Seeded and
deterministic on CPU; uses ``cuda`` when available.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fidelity.judge.data import (
    ConsistencyItem,
    JudgePair,
    consistency_files,
    load_items,
    sentence_pairs,
)
from fidelity.judge.generate import generate_pairs

log = logging.getLogger("fidelity.judge.train")

DEFAULT_DATA = Path("..") / "shared" / "data" / "consistency"
DEV_SHARE = 0.12


@dataclass(frozen=True, slots=True)
class TrainConfig:
    data: str
    out: str
    hold_out: str | None = None
    seed: int = 13
    epochs: float = 1.0
    batch_size: int = 16
    lr: float = 5e-5
    max_length: int = 112
    freeze_layers: int = 4
    per_doc: int = 12
    max_pairs: int | None = None
    small: bool = False
    save_every: int = 50
    ship: bool = False


def is_dev_document(doc_id: str, doc: str) -> bool:
    """A stable ~12% of documents, by a hash of the text (independent of the seed)."""
    del doc_id
    digest = hashlib.sha256(doc.encode("utf-8")).digest()
    return digest[0] / 256.0 < DEV_SHARE


def build_data(
    config: TrainConfig,
) -> tuple[list[JudgePair], list[ConsistencyItem], list[ConsistencyItem], list[ConsistencyItem]]:
    """Training pairs, dev items (training domains), held-out items, and all training items."""
    items: list[ConsistencyItem] = []
    for path in consistency_files(Path(config.data)):
        items.extend(load_items(path))
    held = [i for i in items if config.hold_out and i.domain == config.hold_out]
    if config.hold_out and not held:
        domains = sorted({i.domain for i in items})
        raise SystemExit(f"--hold-out {config.hold_out}: no such domain among {domains}")
    rest = [i for i in items if not (config.hold_out and i.domain == config.hold_out)]
    dev = [i for i in rest if is_dev_document(i.id, i.doc)]
    train = [i for i in rest if not is_dev_document(i.id, i.doc)]
    pairs, skipped = sentence_pairs(train)
    generated = generate_pairs(train, config.per_doc, config.seed)
    log.info(
        "data: %d training items -> %d sentence pairs (%d unlocatable edits skipped) + %d "
        "generated; dev %d items; held out %d items (%s)",
        len(train),
        len(pairs),
        skipped,
        len(generated),
        len(dev),
        len(held),
        config.hold_out,
    )
    all_pairs = pairs + generated
    rng = random.Random(config.seed)
    rng.shuffle(all_pairs)
    if config.small:
        all_pairs = all_pairs[:48]
        dev, held = dev[:12], held[:12]
    elif config.max_pairs:
        all_pairs = all_pairs[: config.max_pairs]
    return all_pairs, dev, held, train


def _batches(lengths: Sequence[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Shuffled batches of similar lengths (less padding), the same for a given seed and epoch."""
    rng = random.Random(seed * 1000 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 16
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: (lengths[i], i))
        batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def _save(path: Path, payload: dict[str, Any]) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(payload, tmp)
    tmp.replace(path)


def train(config: TrainConfig, *, stop_after: int | None = None) -> Path:
    """Run (or resume) one training run; returns its output folder.

    Args:
        config: the run's settings (its folder holds the checkpoint it resumes from).
        stop_after: stop after this many optimizer steps in total, leaving the checkpoint as an
            interruption would (for tests); the same command then resumes.
    """
    import torch

    from fidelity.judge.model import fit_sentences, load_tokenizer, new_model, save_weights

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    random.seed(config.seed)
    if device == "cpu":
        torch.set_num_threads(os.cpu_count() or 1)

    pairs, dev, held, train_items = build_data(config)
    tokenizer = load_tokenizer()
    enc = tokenizer(
        fit_sentences(tokenizer, [p.hypothesis for p in pairs], config.max_length),
        [p.premise for p in pairs],
        truncation="only_second",
        max_length=config.max_length,
    )
    ids: list[list[int]] = enc["input_ids"]
    types: list[list[int]] = enc["token_type_ids"]
    labels = [p.label for p in pairs]
    lengths = [len(x) for x in ids]
    log.info("tokenised %d pairs; mean length %.1f", len(ids), float(np.mean(lengths)))

    model = new_model().to(device)
    # The word embeddings stay as the base model has them (they are not shipped: see model.py);
    # the lowest encoder layers may be frozen too, to fit a 2-core budget.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in model.bert.encoder.layer[: config.freeze_layers]:
        layer.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    steps_per_epoch = (len(ids) + config.batch_size - 1) // config.batch_size
    total = max(1, round(steps_per_epoch * config.epochs))
    warmup = max(1, total // 16)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    step = 0
    ckpt = out / "checkpoint.pt"
    if ckpt.is_file():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        if state["config"] != asdict(config):
            log.warning("checkpoint config differs from this command; resuming anyway")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = int(state["step"])
        torch.set_rng_state(state["torch_rng"])
        log.info("resumed from %s at step %d/%d", ckpt, step, total)

    model.train()
    started, done_since = time.monotonic(), 0
    loss_sum, loss_n = 0.0, 0
    while step < total:
        if stop_after is not None and step >= stop_after:
            log.info("stopped at step %d (stop_after); run again to resume", step)
            return out
        epoch, within = divmod(step, steps_per_epoch)
        batch = _batches(lengths, config.batch_size, config.seed, epoch)[within]
        width = max(lengths[i] for i in batch)
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([ids[i] + [pad] * (width - len(ids[i])) for i in batch])
        token_type = torch.tensor([types[i] + [0] * (width - len(types[i])) for i in batch])
        mask = torch.tensor([[1] * len(ids[i]) + [0] * (width - len(ids[i])) for i in batch])
        target = torch.tensor([labels[i] for i in batch])
        output = model(
            input_ids=input_ids.to(device),
            token_type_ids=token_type.to(device),
            attention_mask=mask.to(device),
            labels=target.to(device),
        )
        output.loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        done_since += len(batch)
        loss_sum += output.loss.item()
        loss_n += 1
        if step % 10 == 0 or step == total:
            rate = done_since / max(time.monotonic() - started, 1e-6)
            eta = (total - step) * config.batch_size / max(rate, 1e-6)
            log.info(
                "step %d/%d loss %.4f lr %.2e %.1f pairs/s eta %.0f s",
                step,
                total,
                loss_sum / loss_n,
                scheduler.get_last_lr()[0],
                rate,
                eta,
            )
            loss_sum, loss_n = 0.0, 0
        if step % config.save_every == 0 or step == total:
            _save(
                ckpt,
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "step": step,
                    "total": total,
                    "torch_rng": torch.get_rng_state(),
                    "config": asdict(config),
                },
            )
    model.eval()
    model.to("cpu")
    save_weights(model, out)
    log.info("trained weights written to %s", out)
    _finish(config, out, dev, held, train_items)
    return out


def _finish(
    config: TrainConfig,
    out: Path,
    dev: list[ConsistencyItem],
    held: list[ConsistencyItem],
    train_items: list[ConsistencyItem],
) -> None:
    """Thresholds on the dev split of the training domains; held-out figures; shipping."""
    from fidelity.judge.evaluate import (
        best_threshold,
        document_scores,
        summarise,
        write_predictions,
    )
    from fidelity.judge.model import (
        THRESHOLDS_FILE,
        WEIGHTS_DIR,
        Judge,
        JudgeThresholds,
        load_model,
        load_tokenizer,
        save_weights,
    )

    tokenizer = load_tokenizer()
    model = load_model(out)  # the fp16 weights, dequantised: what ships
    judge = Judge(model, tokenizer, JudgeThresholds(0.5, 0.5), max_length=config.max_length)
    dev_scores = document_scores(judge, dev) if dev else []
    doc_threshold = best_threshold(dev, dev_scores) if dev else 0.5
    domains = sorted({i.domain for i in train_items})
    thresholds = {
        "document": doc_threshold,
        "sentence": doc_threshold,
        "chosen_on": domains,
        "chosen_how": "max balanced accuracy of min-sentence P(supported) on the dev documents "
        f"(~{DEV_SHARE:.0%} by document hash) of the training domains",
        "seed": config.seed,
        "max_length": config.max_length,
    }
    (out / THRESHOLDS_FILE).write_text(json.dumps(thresholds, indent=2) + "\n", encoding="utf-8")
    results: dict[str, Any] = {"config": asdict(config), "thresholds": thresholds}
    if dev:
        results["dev"] = summarise(dev, dev_scores, doc_threshold)
        write_predictions(out / "dev_predictions.jsonl", dev, dev_scores)
        if config.ship or config.small:
            # The fp32 model before rounding to fp16, on the same dev split.
            import torch

            state = torch.load(out / "checkpoint.pt", map_location="cpu", weights_only=False)
            fp32 = load_model(out)
            fp32.load_state_dict(state["model"])
            fp32.eval()
            j32 = Judge(fp32, tokenizer, JudgeThresholds(0.5, 0.5), max_length=config.max_length)
            check = dev[::3]  # a third of the dev split: enough to see a rounding effect
            s32 = document_scores(j32, check)
            results["fp32_vs_fp16_on_dev_third"] = {
                "fp32": summarise(check, s32, doc_threshold),
                "fp16": summarise(check, dev_scores[::3], doc_threshold),
                "max_abs_diff": float(
                    max(
                        (abs(a - b) for a, b in zip(dev_scores[::3], s32, strict=True)), default=0.0
                    )
                ),
            }
    if held:
        held_scores = document_scores(judge, held)
        results["held_out"] = summarise(held, held_scores, doc_threshold)
        results["held_out"]["domain"] = config.hold_out
        write_predictions(out / "held_out_predictions.jsonl", held, held_scores)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log.info("results: %s", json.dumps({k: v for k, v in results.items() if k != "config"}))
    if config.ship:
        WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
        save_weights(model, WEIGHTS_DIR)
        (WEIGHTS_DIR / THRESHOLDS_FILE).write_text(
            json.dumps(thresholds, indent=2) + "\n", encoding="utf-8"
        )
        log.info("shipped to %s", WEIGHTS_DIR)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fidelity.judge.train", description=__doc__)
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="consistency folder or file")
    parser.add_argument("--out", default=None, help="run folder (default checkpoints/judge-RUN)")
    parser.add_argument("--hold-out", default=None, metavar="DOMAIN", help="leave this out")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=112)
    parser.add_argument("--freeze-layers", type=int, default=4, help="lowest layers frozen")
    parser.add_argument("--per-doc", type=int, default=12, help="generated pairs per document")
    parser.add_argument("--max-pairs", type=int, default=None, help="cap the training pairs")
    parser.add_argument("--small", action="store_true", help="smoke test: 48 pairs")
    parser.add_argument("--save-every", type=int, default=50, help="checkpoint every N steps")
    parser.add_argument("--ship", action="store_true", help="write weights into the package")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    if args.ship and args.hold_out:
        parser.error("--ship takes the model trained on every domain (no --hold-out)")
    run = "holdout-" + args.hold_out if args.hold_out else "all"
    config = TrainConfig(
        data=args.data,
        out=args.out or str(Path("checkpoints") / f"judge-{run}{'-small' if args.small else ''}"),
        hold_out=args.hold_out,
        seed=args.seed,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        max_length=args.max_length,
        freeze_layers=args.freeze_layers,
        per_doc=args.per_doc,
        max_pairs=args.max_pairs,
        small=args.small,
        save_every=args.save_every,
        ship=args.ship,
    )
    train(config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
