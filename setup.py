from setuptools import find_packages, setup

setup(
    name="kamaelia_twisted",
    version="0.1.0",
    description="Kamaelia-style generator components running on the Twisted reactor",
    long_description=open("README.md").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    package_dir={"": "."},
    packages=find_packages(include=["kamaelia_twisted", "kamaelia_twisted.*"]) + ["twisted.plugins"],
    package_data={"twisted": ["plugins/kamaelia_twisted_plugin.py"], "kamaelia_twisted.media": ["sample.ogg", "README"],
                  "kamaelia_twisted.web": ["inspector.html"]},
    install_requires=["twisted>=22.10", "pyogg==0.6.14a1", "pygame>=2.1", "numpy"],
    extras_require={
        "dask": ["distributed"],
        "kamaelia": ["kamaelia"],
        "test": ["twisted[tls]", "distributed", "kamaelia", "pydoctor", "selenium"],
        "bench": ["kamaelia-axon"],
    },
)
