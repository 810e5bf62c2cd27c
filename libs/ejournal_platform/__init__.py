"""Cross-cutting platform of every ejournal service: settings, logging, database, outbox, events,
gRPC server and clients, authentication hook. No domain rules live here."""
