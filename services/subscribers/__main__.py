from services.subscribers.entrypoints.main import main

main()
