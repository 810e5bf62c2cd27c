import sys

from deploy.demo.semester.play import main

sys.exit(main())
