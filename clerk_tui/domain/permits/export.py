def format_stock_report(db):
    return ""
