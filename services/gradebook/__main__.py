from services.gradebook.entrypoints.main import main

main()
