"""HTTP methods, short so that a route table reads one route per line."""

GET, POST, PUT, DELETE = "GET", "POST", "PUT", "DELETE"
