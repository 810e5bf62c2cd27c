from services.reporting.entrypoints.main import main

main()
