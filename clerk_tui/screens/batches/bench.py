async def job_mail_batch_stubs(pilot):  # placeholder
    return 0
