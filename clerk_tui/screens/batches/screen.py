class BatchesScreen:  # placeholder while the domain is tested
    pass
