from services.workflow.entrypoints.main import main

if __name__ == "__main__":  # importable without starting (the image test imports every entry point)
    main()
