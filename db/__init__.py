"""The CRM database: typed models of the data contract, engine/session, migrations, demo data."""
