"""What the site writes for spreadsheets: cells that a spreadsheet would run as formulas are quoted.

One rule for every table the site hands out, the API's CSV and the admin's exports alike.
"""
