"""The classifier in service: which model classifies, and training it on operators' corrections.

The active `ClassifierModel` row classifies; with none, the model shipped in
`mentions/classification/artifacts/` does. Each process keeps the loaded model and checks with
one query per batch that it is still the active one. Retraining fits on what the shipped model
was trained on (the seed set that ships with the repository, the shared labelled corpora when
they are present) plus the operators' corrections, stores the weights in the database and
activates them.
"""

import io
import logging
import tempfile
import threading
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from mentions.classification.embeddings import Embedder, get_embedder
from mentions.classification.model import MentionClassifier
from mentions.classification.training import (
    LabelledText,
    default_records,
    load_default_model,
    train,
)
from mentions.models import ClassifierModel, Correction, Mention

logger = logging.getLogger(__name__)

# Measured on the learning curve: weighting corrections above the seed set did not help.
CORRECTION_WEIGHT = 1.0

_loaded: MentionClassifier | None = None
_loaded_key: str | None = None
_lock = threading.Lock()


def active_classifier() -> MentionClassifier:
    """The model to classify with (cached per process; one query checks it is current)."""
    global _loaded, _loaded_key
    active = ClassifierModel.objects.filter(active=True).values_list("version", flat=True).first()
    key = active or "shipped"
    if _loaded is not None and _loaded_key == key:
        return _loaded
    with _lock:
        if active:
            row = ClassifierModel.objects.get(version=active)
            model = model_from_bytes(bytes(row.artifact))
        else:
            model = load_default_model()
        _loaded, _loaded_key = model, key
        return model


def model_to_bytes(model: MentionClassifier) -> bytes:
    """The model's weights and metadata as one zip (what `ClassifierModel.artifact` stores)."""
    with tempfile.TemporaryDirectory() as tmp:
        npz, meta = model.save(Path(tmp) / "model")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(npz, "model.npz")
            archive.write(meta, "model.json")
        return buffer.getvalue()


def model_from_bytes(data: bytes) -> MentionClassifier:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in ("model.npz", "model.json"):
            (Path(tmp) / name).write_bytes(archive.read(name))
        return MentionClassifier.load(Path(tmp) / "model")


def correction_records() -> list[LabelledText]:
    """One training example per corrected mention: its latest category and sentiment labels."""
    latest: dict[int, dict[str, str]] = {}
    corrections = Correction.objects.filter(
        field__in=(Correction.Field.CATEGORY, Correction.Field.SENTIMENT)
    ).order_by("mention_id", "field", "-created_at", "-id")
    for mention_id, field, value in corrections.values_list("mention_id", "field", "new_value"):
        latest.setdefault(mention_id, {}).setdefault(field, value)
    records = []
    for mention in Mention.objects.filter(pk__in=latest).only("title", "text"):
        labels = latest[mention.pk]
        if mention.full_text.strip():
            records.append(
                LabelledText(
                    mention.full_text,
                    labels.get("category"),
                    labels.get("sentiment"),
                    "corrections",
                )
            )
    return records


def base_records(embedder: Embedder) -> list[LabelledText]:
    """The labelled data besides corrections, as for the shipped model over `embedder`: the seed
    set, the dev corpus and the SentiRuEval tweets where present (see
    `training.default_records`), so that a retrained model keeps what the shipped one learned."""
    return default_records(embedder)


def classifier_train(
    *,
    base: list[LabelledText] | None = None,
    activate: bool = True,
    embedder: Embedder | None = None,
) -> ClassifierModel:
    """Train a model on the base data plus every operator correction; store (and activate) it.

    Returns the stored `ClassifierModel`. Training happens outside any transaction (with e5,
    a minute or two: most of it embedding the base data); storing and activating is one
    transaction, so exactly one model is active.
    """
    embedder = embedder if embedder is not None else get_embedder()
    corrections = correction_records()
    records = (base if base is not None else base_records(embedder)) + corrections
    model = train(records, embedder, weights={"corrections": CORRECTION_WEIGHT})
    with transaction.atomic():
        row = ClassifierModel.objects.create(
            version=model.version,
            artifact=model_to_bytes(model),
            trained_on={**model.metadata.get("training", {}), "corrections": len(corrections)},
            active=False,
        )
        if activate:
            classifier_activate(model=row)
    logger.info("trained classifier %s on %d examples", model.version, len(records))
    return row


@transaction.atomic
def classifier_activate(*, model: ClassifierModel) -> ClassifierModel:
    ClassifierModel.objects.filter(active=True).exclude(pk=model.pk).update(active=False)
    ClassifierModel.objects.filter(pk=model.pk).update(active=True)
    model.active = True
    return model


def classifier_retrain_if_needed() -> ClassifierModel | None:
    """Retrain when `SCRM_RETRAIN_MIN_CORRECTIONS` corrections arrived since the active model."""
    active = ClassifierModel.objects.filter(active=True).first()
    since = Correction.objects.filter(
        field__in=(Correction.Field.CATEGORY, Correction.Field.SENTIMENT)
    )
    if active is not None:
        since = since.filter(created_at__gt=active.created_at)
    if since.count() < settings.SCRM_RETRAIN_MIN_CORRECTIONS:
        return None
    return classifier_train()
