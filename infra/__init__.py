"""Infrastructure: the CloudFormation template and the one-machine stack."""
