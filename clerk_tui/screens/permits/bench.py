async def job_issue_permit(pilot):
    return 0
