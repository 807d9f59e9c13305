def scan_opens_permit(app, scan):
    pass


class PermitsScreen:
    pass
