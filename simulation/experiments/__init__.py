"""Many runs of the model: seeds, the run loop, outcomes, ensembles, comparisons, assessment."""
