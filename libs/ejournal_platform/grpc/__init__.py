"""gRPC server bootstrap, shared interceptors and client channels."""
