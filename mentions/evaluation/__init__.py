"""How well scrm understands mentions, measured: subject matching, and the classifier on the
dev corpus, the SentiRuEval tweets and the learning curve. Used by `evaluate_matching`,
`evaluate_classifier`, the benchmarks and the quality tests; never by a request."""
