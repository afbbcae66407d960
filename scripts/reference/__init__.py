"""One builder per reference table, each in the module named after its table.

Each module's ``build`` makes its table from the shared data folder (``common.Shared``) and the
tables it depends on; ``scripts/build_reference_data.py`` runs them in order and
``manifest.write_tables`` writes the Parquet files and ``manifest.yaml``. ``service_placement``
(with ``site_matching``) is the step that ``service_sites`` and ``service_site_matches`` share.
Only this build reads the shared folder; the program reads the tables it writes.
"""
