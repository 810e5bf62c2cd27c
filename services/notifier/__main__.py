from services.notifier.entrypoints.main import main

main()
