from services.identity.entrypoints.main import main

main()
