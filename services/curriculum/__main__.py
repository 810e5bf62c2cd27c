from services.curriculum.entrypoints.main import main

main()
