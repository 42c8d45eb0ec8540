"""The morning check-in: this morning's measures against the athlete's own range, how they
feel on Intervals.icu's scales, the verdict by fixed rules and the question put to the coach
(`morning`). Sending it to Intervals.icu goes through `coach.proposals.publish`."""
