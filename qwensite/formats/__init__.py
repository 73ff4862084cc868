"""The site's date formats (settings.FORMAT_MODULE_PATH): ISO 8601 dates wherever Django formats a date.

The reader pages write their dates out ("8 March 2026"); what Django formats by default, the
admin's inputs and lists, is ISO (2026-03-08), with each time's zone named.
"""
